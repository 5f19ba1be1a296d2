#include "milters/spam/mime/uri_canonicalizer.hpp"

#include <algorithm>
#include <cctype>

#include "common/base/ascii.hpp"

namespace mw::spam {
namespace {

constexpr int kMaxRedirectDepth = 4;  // nested redirectors followed (each one a new URI)

int hex_digit(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    c = to_lower_ascii(c);
    return (c >= 'a' && c <= 'f') ? c - 'a' + 10 : -1;
}

bool istarts_with(std::string_view s, std::string_view p) {
    return s.size() >= p.size() && iequals_ascii(s.substr(0, p.size()), p);
}

std::string percent_decode(std::string_view s) {
    std::string out;
    out.reserve(s.size());
    for (std::size_t i = 0; i < s.size(); ++i) {
        if (s[i] == '%' && i + 2 < s.size() && hex_digit(s[i + 1]) >= 0 &&
            hex_digit(s[i + 2]) >= 0) {
            out += static_cast<char>(hex_digit(s[i + 1]) * 16 + hex_digit(s[i + 2]));
            i += 2;
        } else {
            out += s[i];
        }
    }
    return out;
}

/// SA: "&#NN;" / "&#xHH;" of printable ASCII (33..126) and the Unicode dots -> the character.
std::string decode_char_refs(std::string_view s) {
    std::string out;
    out.reserve(s.size());
    for (std::size_t i = 0; i < s.size(); ++i) {
        if (s[i] != '&' || i + 3 >= s.size() || s[i + 1] != '#') {
            out += s[i];
            continue;
        }
        const bool hex = to_lower_ascii(s[i + 2]) == 'x';
        std::size_t j = i + (hex ? 3 : 2);
        long value = 0;
        const std::size_t digits_start = j;
        while (j < s.size() && j - digits_start < 8 &&
               (hex ? hex_digit(s[j]) >= 0 : std::isdigit(static_cast<unsigned char>(s[j])))) {
            value = value * (hex ? 16 : 10) + hex_digit(s[j]);
            ++j;
        }
        if (j == digits_start || j >= s.size() || s[j] != ';') {
            out += s[i];
            continue;
        }
        if (value == 0x2E || value == 0x3002 || value == 0xFF0E || value == 0xFF61) out += '.';
        else if (value >= 33 && value <= 126) out += static_cast<char>(value);
        else out.append(s.substr(i, j + 1 - i));
        i = j;
    }
    return out;
}

bool has_scheme(std::string_view s) {
    std::size_t i = 0;
    while (i < s.size() && (std::isalnum(static_cast<unsigned char>(s[i])) || s[i] == '-' || s[i] == '_'))
        ++i;
    return i > 0 && i < s.size() && s[i] == ':';
}

void add_unique(std::vector<std::string>& out, std::string s) {
    if (std::find(out.begin(), out.end(), s) == out.end()) out.push_back(std::move(s));
}

/// Address forms (Util.pm's e-mail branch).
void canonicalize_mail(std::string_view uri, std::vector<std::string>& out) {
    std::string addr = istarts_with(uri, "mailto:") ? std::string(uri) : "mailto:" + std::string(uri);
    addr = "mailto:" + percent_decode(std::string_view(addr).substr(7));
    const std::size_t cut = addr.find_first_of("?&");
    if (cut != std::string::npos) addr.resize(cut);
    while (addr.size() > 7 && addr[7] == ' ') addr.erase(7, 1);
    if (const auto lt = addr.find('<'); lt != std::string::npos && addr.find('>', lt) != std::string::npos)
        addr = "mailto:" + addr.substr(lt + 1, addr.find('>', lt) - lt - 1);
    add_unique(out, std::move(addr));
}

struct HttpParts {
    std::string scheme;  // "http://"
    std::string host;
    std::string rest;    // ":port/path?query"
};

bool split_http(std::string_view uri, HttpParts& p) {
    const std::size_t sep = uri.find("://");
    if (sep == std::string_view::npos) return false;
    const std::string scheme = to_lower_ascii(uri.substr(0, sep));
    if (scheme != "http" && scheme != "https") return false;
    p.scheme = scheme + "://";
    std::string_view rest = uri.substr(sep + 3);
    std::size_t auth_end = rest.find_first_of("/?#");
    const std::size_t at = rest.substr(0, auth_end).rfind('@');
    if (at != std::string_view::npos) rest.remove_prefix(at + 1);  // user:pass@ goes
    const std::size_t host_end = rest.find_first_of("/?#:");
    p.host = to_lower_ascii(rest.substr(0, host_end));
    p.rest = host_end == std::string_view::npos ? "" : std::string(rest.substr(host_end));
    p.host.erase(std::remove_if(p.host.begin(), p.host.end(),
                                [](char c) { return static_cast<unsigned char>(c) <= 0x20; }),
                 p.host.end());
    return !p.host.empty();
}

void drop_default_port(HttpParts& p) {
    const std::string_view port = p.scheme == "http://" ? ":80" : ":443";
    if (p.rest.starts_with(port) &&
        (p.rest.size() == port.size() || !std::isdigit(static_cast<unsigned char>(p.rest[port.size()]))))
        p.rest.erase(0, port.size());
}

void canonicalize_into(std::string_view uri, std::vector<std::string>& out, int depth);

/// One level of redirect: the first "http..." inside the rest of the URI (SA bug 3308).
void follow_redirect(const HttpParts& p, std::vector<std::string>& out, int depth) {
    if (depth >= kMaxRedirectDepth) return;
    const std::string lower = to_lower_ascii(p.rest);
    const std::size_t at = lower.find("http");
    if (at == std::string::npos) return;
    std::size_t i = at + 4;
    if (i < lower.size() && lower[i] == 's') ++i;
    if (i >= lower.size() || lower[i] != ':') return;
    const std::size_t end = p.rest.find_first_of("&#", i);
    const std::string target = p.rest.substr(at, end == std::string::npos ? end : end - at);
    if (target.find('.') != std::string::npos) canonicalize_into(target, out, depth + 1);
}

void canonicalize_into(std::string_view raw, std::vector<std::string>& out, int depth) {
    std::string uri(raw);
    std::erase_if(uri, [](char c) { return c == '\n' || c == '\r'; });
    std::size_t b = 0, e = uri.size();
    while (b < e && std::isspace(static_cast<unsigned char>(uri[b]))) ++b;
    while (e > b && std::isspace(static_cast<unsigned char>(uri[e - 1]))) --e;
    uri = uri.substr(b, e - b);
    if (uri.size() <= 1 || uri[0] == '#' || uri[0] == '?' || uri[0] == '&' ||
        (uri[0] == '/' && uri[1] != '/'))
        return;
    add_unique(out, uri);
    const std::size_t colon = uri.find(':');
    if (istarts_with(uri, "mailto:") || uri.substr(0, colon).find('@') != std::string::npos)
        return canonicalize_mail(uri, out);
    std::string n = uri;
    std::replace(n.begin(), n.end(), '\\', '/');
    for (std::string_view s : {"https:", "http:"}) {
        if (!istarts_with(n, s)) continue;
        std::size_t k = s.size();
        while (k < n.size() && k < s.size() + 2 && n[k] == '/') ++k;
        n = std::string(s) + "//" + n.substr(k);
        break;
    }
    n = percent_decode(n);
    if (!has_scheme(n)) n = (istarts_with(n, "ftp.") ? "ftp://" : "http://") + n;
    n = decode_char_refs(n);
    HttpParts p;
    if (!split_http(n, p)) return add_unique(out, std::move(n));
    drop_default_port(p);
    if (!p.rest.empty() && (p.rest[0] == '?' || p.rest[0] == '#')) p.rest.insert(0, "/");
    add_unique(out, p.scheme + p.host + p.rest);
    follow_redirect(p, out, depth);
}

}  // namespace

std::vector<std::string> canonicalize_uri(std::string_view uri) {
    std::vector<std::string> out;
    canonicalize_into(uri, out, 0);
    return out;
}

std::string uri_host(std::string_view uri) {
    if (istarts_with(uri, "mailto:")) {
        const std::size_t at = uri.find('@');
        if (at == std::string_view::npos) return {};
        const std::string_view d = uri.substr(at + 1);
        return to_lower_ascii(d.substr(0, d.find_first_of("?&>/ ")));
    }
    const std::size_t sep = uri.find("://");
    if (sep == std::string_view::npos) return {};
    std::string_view rest = uri.substr(sep + 3);
    rest = rest.substr(0, rest.find_first_of("/?#\\"));
    if (const std::size_t at = rest.rfind('@'); at != std::string_view::npos) rest.remove_prefix(at + 1);
    if (rest.starts_with('[')) return to_lower_ascii(rest.substr(0, rest.find(']') + 1));
    return to_lower_ascii(rest.substr(0, rest.find(':')));
}

}  // namespace mw::spam
