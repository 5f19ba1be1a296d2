#include "milters/dkim/canonicalization.hpp"

#include "common/base/ascii.hpp"

namespace mw::dkim {
namespace {

constexpr bool is_wsp(char c) { return c == ' ' || c == '\t'; }

std::optional<Canon> parse_one(std::string_view s) {
    if (iequals_ascii(s, "simple")) return Canon::Simple;
    if (iequals_ascii(s, "relaxed")) return Canon::Relaxed;
    return std::nullopt;
}

// §3.4.2: unfold, collapse WSP runs to one SP, drop WSP at both ends of the value.
void append_relaxed_value(std::string& out, std::string_view value) {
    bool pending_space = false;
    bool started = false;
    for (char c : value) {
        if (c == '\r' || c == '\n') continue;
        if (is_wsp(c)) {
            pending_space = started;
            continue;
        }
        if (pending_space) out += ' ';
        pending_space = false;
        started = true;
        out += c;
    }
}

}  // namespace

std::optional<Canonicalization> parse_canonicalization(std::string_view text) {
    const auto slash = text.find('/');
    const auto head = parse_one(text.substr(0, slash));
    if (!head) return std::nullopt;
    if (slash == std::string_view::npos) return Canonicalization{*head, Canon::Simple};
    const auto body = parse_one(text.substr(slash + 1));
    if (!body) return std::nullopt;
    return Canonicalization{*head, *body};
}

std::string_view canon_name(Canon c) { return c == Canon::Simple ? "simple" : "relaxed"; }

std::string canonicalization_text(Canonicalization c) {
    return std::string(canon_name(c.header)) + "/" + std::string(canon_name(c.body));
}

void append_canonical_header(std::string& out, std::string_view name, std::string_view value,
                             Canon canon) {
    if (canon == Canon::Simple) {
        out.append(name).append(":").append(value);
        return;
    }
    // §3.4.2: lower-case name, no WSP around the colon.
    std::string_view n = name;
    while (!n.empty() && is_wsp(n.back())) n.remove_suffix(1);
    for (char c : n) out += to_lower_ascii(c);
    out += ':';
    append_relaxed_value(out, value);
}

std::string canonicalize_header(const MessageHeader& header, Canon canon) {
    std::string out;
    out.reserve(header.name.size() + header.value.size() + 3);
    append_canonical_header(out, header.name, header.value, canon);
    out += "\r\n";
    return out;
}

}  // namespace mw::dkim
