#include "milters/spam/mime/uri_finder.hpp"

#include <cctype>

#include "common/base/ascii.hpp"
#include "common/base/limits.hpp"
#include "milters/spam/mime/tld_list.hpp"

namespace mw::spam {
namespace {

bool is_end_delimiter(std::string_view t, std::size_t i) {
    const char c = t[i];
    switch (c) {
        case '>': case '<': case '"': case '`': case '}': case ']': case '{': case '[':
        case '|': case ' ': case '\t': case '\n': case '\r': case '\f': case '\v': case '\x1b':
            return true;
        default:
            return c == '\xC2' && i + 1 < t.size() && t[i + 1] == '\xA0';
    }
}

bool is_alnum(char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0; }

bool is_host_char(char c) { return is_alnum(c) || c == '.' || c == '-' || c == '_'; }

bool istarts_with(std::string_view s, std::string_view prefix) {
    return s.size() >= prefix.size() && iequals_ascii(s.substr(0, prefix.size()), prefix);
}

/// "www", "www1", "www12" followed by "." (SA: www\d{0,2}\.).
bool is_www_prefix(std::string_view s) {
    if (!istarts_with(s, "www")) return false;
    std::size_t i = 3;
    while (i < s.size() && i < 5 && std::isdigit(static_cast<unsigned char>(s[i]))) ++i;
    return i < s.size() && s[i] == '.';
}

bool is_known_scheme_start(std::string_view s) {
    return istarts_with(s, "http://") || istarts_with(s, "https://") ||
           istarts_with(s, "ftp://") || istarts_with(s, "ftp.") || is_www_prefix(s);
}

/// SA: ")" ends a URI without "(" before it; then trailing punctuation goes.
std::string_view trim_uri_tail(std::string_view uri) {
    const std::size_t close = uri.find(')');
    if (close != std::string_view::npos && uri.substr(0, close).find('(') == std::string_view::npos)
        uri = uri.substr(0, close);
    constexpr std::string_view kTrailing = "-~!@#^&*()_+=:;'?,.";
    while (!uri.empty() && kTrailing.find(uri.back()) != std::string_view::npos) uri.remove_suffix(1);
    return uri;
}

/// SA $scstartdelim: punctuation that may precede a schemeless URI.
bool is_schemeless_start_delimiter(char c) {
    constexpr std::string_view kDelims = "!\"#$&'()*+,/:;<=>?@[\\]^`{|}~";
    return kDelims.find(c) != std::string_view::npos;
}

/// Host part of a bare candidate ("example.com" out of "example.com:8080/x").
std::string_view leading_host(std::string_view s) {
    std::size_t i = 0;
    while (i < s.size() && is_host_char(s[i])) ++i;
    std::string_view host = s.substr(0, i);
    while (!host.empty() && host.back() == '.') host.remove_suffix(1);
    return host;
}

/// The e-mail address around the '@' at word[at] (SA $urimailscheme), or "".
std::string_view mail_around(std::string_view word, std::size_t at) {
    auto stops = [](char c) {
        return c == ',' || c == '(' || c == '\'' || c == '@' ||
               static_cast<unsigned char>(c) >= 0x80;
    };
    std::size_t b = at;
    while (b > 0 && !stops(word[b - 1])) --b;
    std::size_t e = at + 1;
    while (e < word.size() && !stops(word[e])) ++e;
    if (b == at || e == at + 1) return {};
    return word.substr(b, e - b);
}

class TextUriScanner {
public:
    TextUriScanner(std::size_t max) : max_(max) {}
    void scan_word(std::string_view word);
    std::vector<std::string> take() { return std::move(found_); }
    bool full() const { return found_.size() >= max_; }

private:
    void add(std::string uri);
    bool scan_schemes(std::string_view word);
    bool scan_mail(std::string_view word);
    void scan_schemeless(std::string_view word);

    std::size_t max_;
    std::vector<std::string> found_;
};

void TextUriScanner::add(std::string uri) {
    if (full() || uri.empty()) return;
    if (uri.size() > limits::kMaxSpamUriLength) uri.resize(limits::kMaxSpamUriLength);
    found_.push_back(std::move(uri));
}

bool TextUriScanner::scan_schemes(std::string_view word) {
    for (std::size_t i = 0; i < word.size(); ++i) {
        if (i > 0 && is_alnum(word[i - 1])) continue;  // \b: a URI starts a word
        const std::string_view rest = word.substr(i);
        if (!is_known_scheme_start(rest)) continue;
        const std::string_view uri = trim_uri_tail(rest);
        if (uri.find("://") == std::string_view::npos) {
            if (leading_host(uri).find('.') == std::string_view::npos) return true;
            add((istarts_with(uri, "ftp.") ? "ftp://" : "http://") + std::string(uri));
        } else if (uri.size() > uri.find("://") + 3) {
            add(std::string(uri));
        }
        return true;
    }
    return false;
}

bool TextUriScanner::scan_mail(std::string_view word) {
    const std::size_t at = word.find('@');
    if (at == std::string_view::npos) return false;
    std::string_view mail = trim_uri_tail(mail_around(word, at));
    if (mail.find('@') == std::string_view::npos) return true;
    if (istarts_with(mail, "cid:") || istarts_with(mail, "mid:")) return true;
    if (mail.substr(0, mail.find('@')).find('/') != std::string_view::npos) {
        add("http://" + std::string(mail));  // SA: "/" before "@" is not an address
        return true;
    }
    for (std::string_view p : {"mailto:", "skype:", "email:", "e-mail:", "mail:"})
        if (istarts_with(mail, p)) mail.remove_prefix(p.size());
    const std::string_view domain = leading_host(mail.substr(mail.find('@') + 1));
    if (is_domain_with_known_tld(domain)) add("mailto:" + std::string(mail));
    return true;
}

void TextUriScanner::scan_schemeless(std::string_view word) {
    std::size_t i = 0;
    while (i < word.size()) {
        if (is_alnum(word[i]) && (i == 0 || is_schemeless_start_delimiter(word[i - 1]))) {
            const std::string_view rest = word.substr(i);
            const std::string_view host = leading_host(rest);
            if (is_domain_with_known_tld(host)) {
                add("http://" + std::string(trim_uri_tail(rest)));
                return;
            }
        }
        ++i;
    }
}

void TextUriScanner::scan_word(std::string_view word) {
    if (word.empty() || full()) return;
    if (scan_schemes(word)) return;
    if (scan_mail(word)) return;
    if (word.find('.') != std::string_view::npos) scan_schemeless(word);
}

}  // namespace

bool is_domain_with_known_tld(std::string_view host) {
    if (host.size() < 3 || host.size() > limits::kMaxDnsName) return false;
    const std::size_t dot = host.rfind('.');
    if (dot == std::string_view::npos || dot == 0) return false;
    std::size_t label_start = 0;
    for (std::size_t i = 0; i <= host.size(); ++i) {
        if (i < host.size() && host[i] != '.') {
            if (!is_alnum(host[i]) && host[i] != '-' && host[i] != '_') return false;
            continue;
        }
        if (i == label_start || i - label_start > limits::kMaxDnsLabel) return false;
        label_start = i + 1;
    }
    return is_known_tld(host.substr(dot + 1));
}

std::vector<std::string> find_text_uris(std::string_view text, std::size_t max) {
    TextUriScanner scanner(max);
    std::size_t start = 0;
    for (std::size_t i = 0; i <= text.size() && !scanner.full(); ++i) {
        if (i < text.size() && !is_end_delimiter(text, i)) continue;
        scanner.scan_word(text.substr(start, i - start));
        if (i < text.size() && text[i] == '\xC2') ++i;  // NBSP is two bytes
        start = i + 1;
    }
    return scanner.take();
}

}  // namespace mw::spam
