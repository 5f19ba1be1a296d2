#include "common/mail/author_address.hpp"

namespace mw::mail {

namespace {

// The value without quoted strings and comments (their content is display text), so '<', '>'
// ',' and '@' left over are structural.
std::string strip_display_text(std::string_view v) {
    std::string out;
    bool quoted = false;
    int depth = 0;
    for (std::size_t i = 0; i < v.size(); ++i) {
        const char c = v[i];
        if ((quoted || depth > 0) && c == '\\') { ++i; continue; }
        if (depth == 0 && c == '"') { quoted = !quoted; continue; }
        if (quoted) continue;
        if (c == '(') { ++depth; continue; }
        if (c == ')' && depth > 0) { --depth; continue; }
        if (depth == 0) out.push_back(c);
    }
    return out;
}

std::string_view trim(std::string_view s) {
    const auto first = s.find_first_not_of(" \t\r\n");
    if (first == std::string_view::npos) return {};
    return s.substr(first, s.find_last_not_of(" \t\r\n") - first + 1);
}

bool plausible_mailbox(std::string_view a) {
    const auto at = a.rfind('@');
    return at != std::string_view::npos && at > 0 && at + 1 < a.size() &&
           a.find_first_of(" \t\r\n<>,;:") == std::string_view::npos;
}

}  // namespace

std::optional<std::string> author_address(std::string_view from_value) {
    const std::string text = strip_display_text(from_value);
    if (text.find(',') != std::string::npos || text.find(';') != std::string::npos) return std::nullopt;
    std::string_view addr = text;
    const auto open = text.find('<');
    if (open != std::string::npos) {
        const auto close = text.find('>', open);
        if (close == std::string::npos || text.find('<', open + 1) != std::string::npos) return std::nullopt;
        addr = std::string_view(text).substr(open + 1, close - open - 1);
    }
    addr = trim(addr);
    if (!plausible_mailbox(addr)) return std::nullopt;
    return std::string(addr);
}

}  // namespace mw::mail
