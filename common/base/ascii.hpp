// ASCII-only case folding for protocol text (DNS names, SPF terms, config keywords, header
// names). Locale-independent on purpose: std::tolower would fold bytes >= 0x80 differently per
// locale, and none of these grammars has case outside ASCII. Pure; header-only.
#pragma once

#include <string>
#include <string_view>

namespace mw {

constexpr char to_lower_ascii(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

inline std::string to_lower_ascii(std::string_view s) {
    std::string out(s);
    for (char& c : out) c = to_lower_ascii(c);
    return out;
}

/// Perl's \s on bytes: space, \t, \n, \v, \f, \r.
constexpr bool is_space_ascii(char c) { return c == ' ' || (c >= '\t' && c <= '\r'); }

constexpr bool iequals_ascii(std::string_view a, std::string_view b) {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i)
        if (to_lower_ascii(a[i]) != to_lower_ascii(b[i])) return false;
    return true;
}

}  // namespace mw
