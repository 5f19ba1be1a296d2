#include "milters/spam/rules/regex_literal.hpp"

#include <string>

namespace mw::spam {
namespace {

bool is_word(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

char closing_of(char open) {
    switch (open) {
        case '{': return '}';
        case '(': return ')';
        case '<': return '>';
        case '[': return ']';
        default: return open;
    }
}

// Opening: "/" or "m"/"qr" followed by a non-word delimiter. Returns the closing delimiter and
// strips the opening from `text`, or 0 when there is none.
char strip_opening(std::string_view& text) {
    if (!text.empty() && text[0] == '/') {
        text.remove_prefix(1);
        return '/';
    }
    std::size_t skip = 0;
    if (text.size() >= 2 && text[0] == 'm') skip = 1;
    else if (text.size() >= 3 && text.substr(0, 2) == "qr") skip = 2;
    if (skip == 0 || is_word(text[skip]) || text[skip] == '\\') return 0;
    const char open = text[skip];
    text.remove_prefix(skip + 1);
    return closing_of(open);
}

bool is_flag_letter(char c) { return c >= 'a' && c <= 'z' && c != 'e'; }

// SA: s/\Q$delim\E([a-df-z]*)\z// -- the delimiter followed only by flag letters.
std::size_t find_closing(std::string_view text, char close) {
    std::size_t end = text.size();
    while (end > 0 && is_flag_letter(text[end - 1])) --end;
    // The delimiter may itself be a flag-like letter only for word delimiters, never allowed.
    for (std::size_t i = end; i-- > 0;) {
        if (text[i] == close) return i;
        if (!is_flag_letter(text[i])) break;
    }
    return std::string_view::npos;
}

// SA checks only non-bracket delimiters: after removing "\\\\" pairs, none may be unescaped.
bool has_unescaped(std::string_view body, char close) {
    if (close == '}' || close == ')' || close == ']') return false;
    for (std::size_t i = 0; i < body.size(); ++i) {
        if (body[i] == '\\' && i + 1 < body.size() && body[i + 1] == '\\') {
            ++i;
            continue;
        }
        if (body[i] == close && (i == 0 || body[i - 1] != '\\')) return true;
    }
    return false;
}

bool has_code_block(std::string_view body) {
    return body.find("(?{") != std::string_view::npos ||
           body.find("(??{") != std::string_view::npos;
}

Result<void> apply_flags(std::string_view flags, RegexSpec& spec) {
    for (char f : flags) {
        switch (f) {
            case 'i': spec.caseless = true; break;
            case 'm': spec.multiline = true; break;
            case 's': spec.dotall = true; break;
            case 'x': spec.extended = true; break;
            default:
                return fail(ErrorCode::Unsupported, std::string("unsupported regex modifier '") +
                                                        f + "'");
        }
    }
    return {};
}

}  // namespace

Result<RegexSpec> parse_regex_literal(std::string_view text) {
    const char close = strip_opening(text);
    if (close == 0) return fail(ErrorCode::Invalid, "missing regexp delimiters");
    const std::size_t end = find_closing(text, close);
    if (end == std::string_view::npos)
        return fail(ErrorCode::Invalid, "invalid end delimiter/mods");
    const std::string_view body = text.substr(0, end);
    if (has_unescaped(body, close))
        return fail(ErrorCode::Invalid, std::string("unquoted delimiter '") + close + "' found");
    if (has_code_block(body)) return fail(ErrorCode::Invalid, "eval (?{}) found");
    RegexSpec spec;
    spec.pattern = std::string(body);
    if (auto ok = apply_flags(text.substr(end + 1), spec); !ok) return fail(ok.error());
    return spec;
}

}  // namespace mw::spam
