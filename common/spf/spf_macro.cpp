#include "common/spf/spf_macro.hpp"

#include <algorithm>
#include <cctype>
#include <optional>
#include <vector>

#include <fmt/format.h>

#include "common/base/limits.hpp"

namespace mw::spf {

namespace {

constexpr std::string_view kDelimiters = ".-+,/_=";
constexpr int kMaxTransformerDigits = 3;   // more parts than a 253-char name can have

// One parsed "%{...}" macro-expand.
struct MacroSpec {
    char letter = 0;          // as written (upper case = URL-escape, §7.3)
    int parts = 0;            // 0 = all
    bool reverse = false;
    std::string delimiters;   // empty = "."
};

// What scanning a macro-string found; the scan is shared by the checks and the expansion.
struct ScanState {
    std::string_view s;
    std::size_t pos = 0;
    bool ended_with_macro = false;
};

bool letter_allowed(char letter, MacroUse use) {
    const char l = static_cast<char>(std::tolower(static_cast<unsigned char>(letter)));
    if (std::string_view("slodiphv").find(l) != std::string_view::npos) return true;
    return use == MacroUse::Explanation && std::string_view("crt").find(l) != std::string_view::npos;
}

tl::unexpected<Error> bad_macro(std::string_view s, std::string_view why) {
    return fail(ErrorCode::Invalid, fmt::format("bad macro in '{}': {}", s, why));
}

// Parses the "{...}" after a '%' at st.pos (which points at '{').
Result<MacroSpec> parse_macro(ScanState& st, MacroUse use) {
    const auto close = st.s.find('}', st.pos);
    if (close == std::string_view::npos) return bad_macro(st.s, "unterminated %{");
    std::string_view body = st.s.substr(st.pos + 1, close - st.pos - 1);
    st.pos = close + 1;
    MacroSpec m;
    if (body.empty() || !letter_allowed(body.front(), use)) return bad_macro(st.s, "bad letter");
    m.letter = body.front();
    body.remove_prefix(1);
    std::size_t digits = 0;
    while (digits < body.size() && std::isdigit(static_cast<unsigned char>(body[digits])) != 0) {
        ++digits;
    }
    if (digits > 0) {
        if (digits > kMaxTransformerDigits) return bad_macro(st.s, "transformer too large");
        m.parts = std::stoi(std::string(body.substr(0, digits)));
        if (m.parts == 0) return bad_macro(st.s, "zero transformer");
        body.remove_prefix(digits);
    }
    if (!body.empty() && (body.front() == 'r' || body.front() == 'R')) {
        m.reverse = true;
        body.remove_prefix(1);
    }
    for (char c : body) {
        if (kDelimiters.find(c) == std::string_view::npos) return bad_macro(st.s, "bad delimiter");
    }
    m.delimiters = std::string(body);
    return m;
}

std::string apply_transformers(const std::string& value, const MacroSpec& m) {
    const std::string_view delims =
        m.delimiters.empty() ? std::string_view(".") : std::string_view(m.delimiters);
    std::vector<std::string_view> parts;
    std::string_view rest = value;
    for (;;) {
        const auto at = rest.find_first_of(delims);
        parts.push_back(rest.substr(0, at));
        if (at == std::string_view::npos) break;
        rest.remove_prefix(at + 1);
    }
    if (m.reverse) std::reverse(parts.begin(), parts.end());
    const std::size_t keep = m.parts == 0 ? parts.size()
                                          : std::min(parts.size(), static_cast<std::size_t>(m.parts));
    const std::size_t first = parts.size() - keep;
    std::string out;
    for (std::size_t i = first; i < parts.size(); ++i) {
        if (i > first) out += '.';
        out += parts[i];
    }
    return out;
}

// RFC 3986 unreserved characters stay; everything else becomes %XX (§7.3).
std::string url_escape(std::string_view s) {
    std::string out;
    for (unsigned char c : s) {
        if (std::isalnum(c) != 0 || c == '-' || c == '.' || c == '_' || c == '~') {
            out += static_cast<char>(c);
        } else {
            out += fmt::format("%{:02X}", c);
        }
    }
    return out;
}

std::string macro_value(char letter, const MacroContext& ctx, std::optional<std::string>& p) {
    switch (std::tolower(static_cast<unsigned char>(letter))) {
        case 's': return ctx.local_part + "@" + ctx.sender_domain;
        case 'l': return ctx.local_part;
        case 'o': return ctx.sender_domain;
        case 'd': return ctx.domain;
        case 'i': return ctx.client.to_dotted();
        case 'p':
            if (!p) p = ctx.validated_name ? ctx.validated_name() : std::string("unknown");
            return *p;
        case 'v': return ctx.client.is_v4() ? "in-addr" : "ip6";
        case 'h': return ctx.helo;
        case 'c': return ctx.client.to_string();
        case 'r': return ctx.receiver.empty() ? "unknown" : ctx.receiver;
        case 't': return std::to_string(ctx.now);
        default: return {};
    }
}

// Walks `s`; calls on_literal(text) and on_macro(spec) in order. The one scanner for checks and
// expansion, so that both agree on the grammar.
template <typename Literal, typename Macro>
Result<bool> scan(std::string_view s, MacroUse use, Literal on_literal, Macro on_macro) {
    ScanState st{s};
    while (st.pos < s.size()) {
        const char c = s[st.pos];
        const auto uc = static_cast<unsigned char>(c);
        st.ended_with_macro = false;
        if (c != '%') {
            const bool space_ok = use == MacroUse::Explanation && c == ' ';
            if ((uc < 0x21 || uc > 0x7e) && !space_ok) return bad_macro(s, "bad character");
            if (!on_literal(std::string_view(&s[st.pos], 1))) break;
            ++st.pos;
            continue;
        }
        if (st.pos + 1 >= s.size()) return bad_macro(s, "lone %");
        const char next = s[st.pos + 1];
        st.ended_with_macro = true;
        if (next == '{') {
            ++st.pos;
            auto m = parse_macro(st, use);
            if (!m) return fail(m.error());
            if (!on_macro(*m)) break;
            continue;
        }
        st.pos += 2;
        if (next == '%') { if (!on_literal("%")) break; continue; }
        if (next == '_') { if (!on_literal(" ")) break; continue; }
        if (next == '-') { if (!on_literal("%20")) break; continue; }
        return bad_macro(s, "'%' must be followed by {, %, _ or -");
    }
    return st.ended_with_macro;
}

// RFC 7208 §12 toplabel.
bool valid_toplabel(std::string_view label) {
    if (label.empty()) return false;
    const bool chars_ok = std::all_of(label.begin(), label.end(), [](unsigned char c) {
        return std::isalnum(c) != 0 || c == '-';
    });
    if (!chars_ok || label.front() == '-' || label.back() == '-') return false;
    const bool has_alpha = std::any_of(label.begin(), label.end(),
                                       [](unsigned char c) { return std::isalpha(c) != 0; });
    return has_alpha || label.find('-') != std::string_view::npos;
}

// §7.3: keep the right-hand labels of an over-long name.
std::string truncate_domain(std::string name) {
    if (!name.empty() && name.back() == '.') name.pop_back();
    while (name.size() > limits::kMaxDnsName) {
        const auto dot = name.find('.');
        if (dot == std::string::npos) return {};
        name.erase(0, dot + 1);
    }
    return name;
}

}  // namespace

Result<bool> check_macro_string(std::string_view s, MacroUse use) {
    auto ok = scan(
        s, use, [](std::string_view) { return true; }, [](const MacroSpec&) { return true; });
    if (!ok) return ok;
    return true;
}

Result<bool> check_domain_spec(std::string_view s) {
    auto ends_with_macro = scan(
        s, MacroUse::Domain, [](std::string_view) { return true; },
        [](const MacroSpec&) { return true; });
    if (!ends_with_macro) return ends_with_macro;
    if (*ends_with_macro) return true;
    std::string_view name = s;
    if (!name.empty() && name.back() == '.') name.remove_suffix(1);
    const auto dot = name.rfind('.');
    if (dot == std::string_view::npos || !valid_toplabel(name.substr(dot + 1))) {
        return fail(ErrorCode::Invalid, fmt::format("'{}' does not end in a valid top label", s));
    }
    return true;
}

Result<std::string> expand_macros(std::string_view s, const MacroContext& ctx, MacroUse use) {
    std::string out;
    bool too_long = false;
    std::optional<std::string> validated;
    auto append = [&](std::string_view text) {
        if (out.size() + text.size() > limits::kMaxSpfExpansion) {
            too_long = true;
            return false;
        }
        out += text;
        return true;
    };
    auto on_macro = [&](const MacroSpec& m) {
        auto value = apply_transformers(macro_value(m.letter, ctx, validated), m);
        if (std::isupper(static_cast<unsigned char>(m.letter)) != 0) value = url_escape(value);
        return append(value);
    };
    auto ok = scan(s, use, append, on_macro);
    if (!ok) return fail(ok.error());
    if (too_long) {
        return fail(ErrorCode::TooLong, fmt::format("macro expansion longer than {} bytes",
                                                    limits::kMaxSpfExpansion));
    }
    if (use == MacroUse::Domain) return truncate_domain(std::move(out));
    return out;
}

}  // namespace mw::spf
