#include "common/authres/header_quoting.hpp"

#include <cctype>

namespace mw::authres {

namespace {

constexpr std::string_view kTspecials = "()<>@,;:\\\"/[]?=";
constexpr std::string_view kAtextSpecials = "!#$%&'*+-/=?^_`{|}~";

bool is_printable(char c) { return c > 0x20 && c < 0x7f; }

bool is_atext(char c) {
    const auto u = static_cast<unsigned char>(c);
    return std::isalnum(u) || kAtextSpecials.find(c) != std::string_view::npos;
}

/// RFC 5321 Domain in its LDH form: labels of letters, digits and '-', separated by dots.
bool is_domain_name(std::string_view s) {
    if (s.empty() || s.front() == '.' || s.back() == '.') return false;
    char prev = '.';
    for (char c : s) {
        const auto u = static_cast<unsigned char>(c);
        if (c == '.' && prev == '.') return false;
        if (c != '.' && c != '-' && !std::isalnum(u)) return false;
        prev = c;
    }
    return true;
}

/// Text bytes inside a quoted-string or comment: controls become spaces (no folding here).
char visible(char c) {
    const auto u = static_cast<unsigned char>(c);
    return (u < 0x20 || u == 0x7f) ? ' ' : c;
}

}  // namespace

bool is_mime_token(std::string_view s) {
    if (s.empty()) return false;
    for (char c : s)
        if (!is_printable(c) || kTspecials.find(c) != std::string_view::npos) return false;
    return true;
}

bool is_dot_atom(std::string_view s) {
    if (s.empty() || s.front() == '.' || s.back() == '.') return false;
    for (std::size_t i = 0; i < s.size(); ++i) {
        if (s[i] == '.') {
            if (s[i - 1] == '.') return false;
        } else if (!is_atext(s[i])) {
            return false;
        }
    }
    return true;
}

std::string quoted_string(std::string_view s) {
    std::string out = "\"";
    for (char c : s) {
        if (c == '"' || c == '\\') out += '\\';
        out += visible(c);
    }
    out += '"';
    return out;
}

std::string comment(std::string_view s) {
    std::string out = "(";
    for (char c : s) {
        if (c == '(' || c == ')' || c == '\\') out += '\\';
        out += visible(c);
    }
    out += ')';
    return out;
}

std::string mime_value(std::string_view s) {
    return is_mime_token(s) ? std::string(s) : quoted_string(s);
}

std::string property_value(std::string_view s) {
    if (is_mime_token(s)) return std::string(s);
    const auto at = s.rfind('@');
    if (at != std::string_view::npos) {
        const auto local = s.substr(0, at);
        if ((local.empty() || is_dot_atom(local)) && is_domain_name(s.substr(at + 1)))
            return std::string(s);
    }
    return quoted_string(s);
}

std::string dot_atom_or_quoted(std::string_view s) {
    return is_dot_atom(s) ? std::string(s) : quoted_string(s);
}

}  // namespace mw::authres
