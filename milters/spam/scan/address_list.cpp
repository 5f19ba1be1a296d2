#include "milters/spam/scan/address_list.hpp"

#include "common/base/ascii.hpp"

namespace mw::spam {

namespace {

std::string trim(std::string_view s) {
    std::size_t b = 0, e = s.size();
    while (b < e && is_space_ascii(s[b])) ++b;
    while (e > b && is_space_ascii(s[e - 1])) --e;
    return std::string(s.substr(b, e - b));
}

/// One mailbox's text split into its parts while walking it once.
struct MailboxScan {
    std::string outside;    // text outside <>, quotes removed, comments removed
    std::string angle;      // text inside the first <...>
    std::string comment;    // the first comment's text
    bool has_angle = false;
};

MailboxScan scan_mailbox(std::string_view s) {
    MailboxScan m;
    for (std::size_t i = 0; i < s.size(); ++i) {
        char c = s[i];
        if (c == '"') {
            for (++i; i < s.size() && s[i] != '"'; ++i) {
                if (s[i] == '\\' && i + 1 < s.size()) ++i;
                m.outside += s[i];
            }
        } else if (c == '(') {
            int depth = 1;
            std::string text;
            for (++i; i < s.size() && depth > 0; ++i) {
                if (s[i] == '\\' && i + 1 < s.size()) { text += s[++i]; continue; }
                if (s[i] == '(') ++depth;
                if (s[i] == ')' && --depth == 0) break;
                text += s[i];
            }
            if (m.comment.empty()) m.comment = trim(text);
        } else if (c == '<' && !m.has_angle) {
            m.has_angle = true;
            for (++i; i < s.size() && s[i] != '>'; ++i) m.angle += s[i];
        } else {
            m.outside += c;
        }
    }
    return m;
}

std::string strip_route(std::string addr) {
    // "<@relay:user@example.com>" (obs-route) keeps the part after the colon.
    if (!addr.empty() && addr[0] == '@') {
        auto colon = addr.find(':');
        if (colon != std::string::npos) addr.erase(0, colon + 1);
    }
    std::string out;
    for (char c : addr)
        if (!is_space_ascii(c)) out += c;
    return out;
}

HeaderAddress mailbox_of(std::string_view text) {
    MailboxScan m = scan_mailbox(text);
    HeaderAddress a;
    if (m.has_angle) {
        a.address = strip_route(m.angle);
        a.phrase = trim(m.outside);
        if (a.phrase.empty()) a.phrase = m.comment;
    } else {
        a.address = strip_route(m.outside);
        a.phrase = m.comment;
    }
    return a;
}

/// Splits at top-level ',' ';' and group ':' (outside quotes, comments and <>).
std::vector<std::string_view> split_mailboxes(std::string_view v) {
    std::vector<std::string_view> out;
    std::size_t start = 0;
    int comment = 0;
    bool quoted = false, angle = false;
    for (std::size_t i = 0; i < v.size(); ++i) {
        char c = v[i];
        if (quoted) {
            if (c == '\\') ++i;
            else if (c == '"') quoted = false;
            continue;
        }
        if (comment > 0) {
            if (c == '\\') ++i;
            else if (c == '(') ++comment;
            else if (c == ')') --comment;
            continue;
        }
        if (c == '"') quoted = true;
        else if (c == '(') comment = 1;
        else if (c == '<') angle = true;
        else if (c == '>') angle = false;
        else if (!angle && (c == ',' || c == ';' || c == ':')) {
            // A group name before ':' is not a mailbox: drop it.
            if (c != ':') out.push_back(v.substr(start, i - start));
            start = i + 1;
        }
    }
    out.push_back(v.substr(start < v.size() ? start : v.size()));
    return out;
}

}  // namespace

std::vector<HeaderAddress> parse_address_list(std::string_view value) {
    std::vector<HeaderAddress> out;
    for (std::string_view part : split_mailboxes(value)) {
        if (out.size() >= kMaxAddresses) break;
        HeaderAddress a = mailbox_of(part);
        if (a.address.empty() && a.phrase.empty()) continue;
        out.push_back(std::move(a));
    }
    return out;
}

}  // namespace mw::spam
