#include "milters/spam/mime/sa_content_type.hpp"

#include "common/base/ascii.hpp"

namespace mw::spam {
namespace {

bool is_word(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

/// Position just after "name\s*=\s*" for the first "\bname" (any case) at or after `from`.
std::optional<std::size_t> find_param(std::string_view s, std::string_view name, std::size_t& from) {
    const std::string lower = to_lower_ascii(s);
    for (std::size_t at = lower.find(name, from); at != std::string::npos; at = lower.find(name, at + 1)) {
        from = at + 1;
        if (at > 0 && is_word(s[at - 1])) continue;
        std::size_t i = at + name.size();
        while (i < s.size() && is_space_ascii(s[i])) ++i;
        if (i >= s.size() || s[i] != '=') continue;
        ++i;
        while (i < s.size() && is_space_ascii(s[i])) ++i;
        return i;
    }
    return std::nullopt;
}

/// SA: boundary\s*=\s*("[^"]+|[^\s";]+(?=[\s;]|$)), quotes removed.
std::optional<std::string> boundary_of(std::string_view s) {
    std::size_t from = 0;
    while (auto i = find_param(s, "boundary", from)) {
        if (*i < s.size() && s[*i] == '"') {
            std::size_t end = s.find('"', *i + 1);
            if (end == std::string_view::npos) end = s.size();
            if (end > *i + 1) return std::string(s.substr(*i + 1, end - *i - 1));
            continue;
        }
        std::size_t end = *i;
        while (end < s.size() && !is_space_ascii(s[end]) && s[end] != '"' && s[end] != ';') ++end;
        if (end > *i && (end == s.size() || s[end] != '"')) return std::string(s.substr(*i, end - *i));
    }
    return std::nullopt;
}

/// SA: charset\s*=\s*["']?(.*?)["']?(?:;|$)
std::optional<std::string> charset_of(std::string_view s) {
    std::size_t from = 0;
    auto i = find_param(s, "charset", from);
    if (!i) return std::nullopt;
    std::size_t b = *i;
    if (b < s.size() && (s[b] == '"' || s[b] == '\'')) ++b;
    std::size_t e = s.find(';', b);
    if (e == std::string_view::npos) e = s.size();
    if (e > b && (s[e - 1] == '"' || s[e - 1] == '\'')) --e;
    return std::string(s.substr(b, e - b));
}

/// SA: leading blanks off, cut at ';', keep "something/something", lowercase.
std::string bare_type(std::string_view s) {
    while (!s.empty() && is_space_ascii(s.front())) s.remove_prefix(1);
    s = s.substr(0, s.find(';'));
    const std::size_t slash = s.find('/');
    if (slash == 0) return {};
    if (slash != std::string_view::npos) {
        std::size_t end = slash + 1;
        while (end < s.size() && s[end] != '/' && !is_space_ascii(s[end])) ++end;
        s = s.substr(0, end);
    }
    return to_lower_ascii(s);
}

bool is_dropped(unsigned char c) {
    return c <= 0x20 || c >= 0x7f || c == '"' || c == '(' || c == ')' || c == ',' ||
           (c >= ':' && c <= '?') || c == '@' || (c >= '[' && c <= ']');
}

}  // namespace

SaContentType parse_sa_content_type(std::optional<std::string_view> value) {
    SaContentType out;
    std::string_view ct = value.value_or("");
    if (ct.empty()) {
        out.missing = true;
        ct = "text/plain; charset=us-ascii";
    }
    out.boundary = boundary_of(ct);
    out.charset = charset_of(ct);
    std::string type = bare_type(ct);
    if (type.empty()) out.missing = true;
    const bool text = type.starts_with("text") && (type.size() == 4 || !is_word(type[4]));
    if (type.empty() || (text && type != "text/x-vcard" && type != "text/calendar" && type != "text/html"))
        type = "text/plain";
    std::erase_if(type, [](char c) { return is_dropped(static_cast<unsigned char>(c)); });
    out.type = std::move(type);
    return out;
}

}  // namespace mw::spam
