#include "milters/spam/scan/body_emails.hpp"

#include <unordered_set>

#include "common/base/ascii.hpp"
#include "common/base/limits.hpp"
#include "milters/spam/mime/tld_list.hpp"

namespace mw::spam {

namespace {

constexpr std::size_t npos = std::string_view::npos;

// FreeMail.pm's email regex: (?=.{0,64}\@) caps the local part; each domain label is
// [a-z0-9](?:[a-z0-9-]{0,59}[a-z0-9])?, and {1,4} of them come before the TLD.
constexpr std::size_t kMaxLocalPart = 64;
constexpr std::size_t kMaxLabel = 61;
constexpr int kMaxLabels = 4;
// The URL blanking, <?https?://\S{0,255}(?:\@|%40)\S{0,255}.
constexpr std::size_t kUrlRun = 255;
// The quoted-address blanking: the address, then > or \s{1,10} and a word [a-z]{2,11} and ':'.
constexpr std::size_t kMaxGap = 10;
constexpr std::size_t kMinWord = 2, kMaxWord = 11;

bool is_alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool is_alnum(char c) { return is_alpha(c) || (c >= '0' && c <= '9'); }
bool is_ldh(char c) { return is_alnum(c) || c == '-'; }
/// The regex's local-part characters: RFC 5322 atext.
bool is_atext(char c) { return is_alnum(c) || (c != '\0' && std::string_view("!#$%&'*+/=?^_`{|}~-").find(c) != npos); }

/// The byte at `i`, NUL past the end (NUL is in none of the classes above).
char byte_at(std::string_view t, std::size_t i) { return i < t.size() ? t[i] : '\0'; }

/// End of the letter-digit-hyphen run at `i`; it stops one past kMaxLabel, as nothing longer is a
/// label or a TLD.
std::size_t ldh_run_end(std::string_view t, std::size_t i) {
    const std::size_t start = i;
    while (is_ldh(byte_at(t, i)) && i - start <= kMaxLabel) ++i;
    return i;
}

bool is_label(std::string_view s) {
    return !s.empty() && s.size() <= kMaxLabel && is_alnum(s.front()) && is_alnum(s.back());
}

/// The '@' ending the dot-atom local part that starts at `pos`, or npos.
std::size_t local_part_end(std::string_view t, std::size_t pos) {
    std::size_t i = pos;
    while (is_atext(byte_at(t, i))) {
        while (is_atext(byte_at(t, i)) && i - pos <= kMaxLocalPart) ++i;
        if (i - pos > kMaxLocalPart) return npos;
        if (byte_at(t, i) == '@') return i;
        if (byte_at(t, i) != '.') return npos;
        ++i;   // a dot continues the local part only when atext follows (checked by the loop)
    }
    return npos;
}

/// End of the domain starting at `pos`: up to four labels, then a known TLD that is neither
/// followed by a letter, digit or hyphen nor by '.' and one of those (RegistryBoundaries'
/// valid_tlds_re). With fewer labels the TLD would be followed by ".label", so the regex's
/// backtracking over {1,4} can only end at the last run; it is kept for clarity.
std::optional<std::size_t> domain_end(std::string_view t, std::size_t pos) {
    std::size_t starts[kMaxLabels + 1] = {pos};
    int labels = 0;
    for (std::size_t i = pos; labels < kMaxLabels;) {
        const std::size_t end = ldh_run_end(t, i);
        if (!is_label(t.substr(i, end - i)) || byte_at(t, end) != '.') break;
        i = end + 1;
        starts[++labels] = i;
    }
    for (int k = labels; k >= 1; --k) {
        const std::size_t s = starts[k], e = ldh_run_end(t, s);
        if (e == s || is_ldh(byte_at(t, e)) || !is_known_tld(t.substr(s, e - s))) continue;
        if (byte_at(t, e) == '.' && is_alnum(byte_at(t, e + 1))) continue;
        return e;
    }
    return std::nullopt;
}

/// Length of the run of non-space bytes at `i`, at most `max`.
std::size_t non_space_run(std::string_view t, std::size_t i, std::size_t max) {
    std::size_t n = 0;
    while (i + n < t.size() && !is_space_ascii(t[i + n]) && n < max) ++n;
    return n;
}

/// <?https?://\S{0,255}(?:\@|%40)\S{0,255} at `pos`: the end of the match, or npos. The first
/// run is greedy, so the last '@' (or %40) within it is the one taken.
std::size_t url_with_at_end(std::string_view t, std::size_t pos) {
    std::size_t i = pos + (t[pos] == '<' ? 1 : 0);
    if (!iequals_ascii(t.substr(i, 4), "http")) return npos;
    i += 4;
    if (to_lower_ascii(byte_at(t, i)) == 's') ++i;
    if (t.substr(i, 3) != "://") return npos;
    i += 3;
    const std::size_t run = non_space_run(t, i, kUrlRun + 1);
    for (std::size_t a = std::min(run, kUrlRun) + 1; a-- > 0;) {
        const std::size_t sign = byte_at(t, i + a) == '@' ? 1 : t.substr(i + a, 3) == "%40" ? 3 : 0;
        if (a < run && sign > 0) return i + a + sign + non_space_run(t, i + a + sign, kUrlRun);
    }
    return npos;
}

/// <?(?<!mailto:)EMAIL(?:>|\s{1,10}(?!(?:fa(?:x|csi)|tel|phone|e?-?mail))[a-z]{2,11}:) at `pos`:
/// an address in angle brackets or before "wrote:"-like words; the end of the match, or npos.
std::size_t quoted_email_end(std::string_view t, std::size_t pos) {
    const std::size_t start = pos + (t[pos] == '<' ? 1 : 0);
    if (start >= 7 && iequals_ascii(t.substr(start - 7, 7), "mailto:")) return npos;
    const auto email = email_match_at(t, start);
    if (!email) return npos;
    std::size_t i = *email;
    if (byte_at(t, i) == '>') return i + 1;
    std::size_t gap = 0;
    while (is_space_ascii(byte_at(t, i)) && gap <= kMaxGap) ++i, ++gap;
    if (gap == 0 || gap > kMaxGap) return npos;
    // Contact words keep the address: "joe@example.com fax: ..." is offered, not quoted.
    for (std::string_view word : {"fax", "facsi", "tel", "phone", "email", "e-mail", "-mail", "mail"})
        if (iequals_ascii(t.substr(i, word.size()), word)) return npos;
    std::size_t n = 0;
    while (is_alpha(byte_at(t, i + n)) && n <= kMaxWord) ++n;
    if (n < kMinWord || n > kMaxWord || byte_at(t, i + n) != ':') return npos;
    return i + n + 1;
}

/// Perl's s/RE/ /g: every match of `end_of` (left to right, not overlapping) becomes one space.
/// Each try is bounded (at most ~520 bytes read), so the pass is linear in the line.
template <class EndOf>
std::string blank_matches(std::string_view t, EndOf end_of) {
    std::string out;
    out.reserve(t.size());
    for (std::size_t pos = 0; pos < t.size();) {
        const std::size_t end = end_of(t, pos);
        if (end == npos) {
            out += t[pos++];
            continue;
        }
        out += ' ';
        pos = end;
    }
    return out;
}

}  // namespace

std::optional<std::size_t> email_match_at(std::string_view text, std::size_t pos) {
    if (pos >= text.size() || (pos > 0 && is_atext(text[pos - 1]))) return std::nullopt;
    const std::size_t at_sign = local_part_end(text, pos);
    if (at_sign == npos) return std::nullopt;
    return domain_end(text, at_sign + 1);
}

std::string blank_quoted_emails(std::string_view line) {
    if (line.find('@') == npos && line.find("%40") == npos) return std::string(line);
    std::string urls_blanked = blank_matches(line, url_with_at_end);
    if (urls_blanked.find('@') == npos) return urls_blanked;
    return blank_matches(urls_blanked, quoted_email_end);
}

std::vector<std::string> emails_in_text(std::string_view text, std::size_t max) {
    std::vector<std::string> out;
    if (text.find('@') == npos) return out;
    for (std::size_t pos = 0; pos < text.size() && out.size() < max;) {
        const auto end = email_match_at(text, pos);
        if (!end) {
            ++pos;
            continue;
        }
        out.emplace_back(text.substr(pos, *end - pos));
        pos = *end;
    }
    return out;
}

std::vector<std::string> find_body_emails(const ParsedMessage& message) {
    std::vector<std::string> out;
    std::unordered_set<std::string> seen;
    auto add = [&](std::string_view email) {
        std::string lower = to_lower_ascii(email);
        if (seen.insert(lower).second) out.push_back(std::move(lower));
    };
    // FreeMail.pm: mailto: links do not show in the rendered text, so they come from the URI
    // list; one also written in the text is found there.
    for (const FoundUri& u : message.uris) {
        if (out.size() >= limits::kMaxSpamBodyMailtoEmails) break;
        if (u.source != FoundUri::Source::Href || !iequals_ascii(std::string_view(u.uri).substr(0, 7), "mailto:"))
            continue;
        if (const auto end = email_match_at(u.uri, 7)) add(std::string_view(u.uri).substr(7, *end - 7));
    }
    for (const std::string& line : message.body_lines) {
        if (line.find('@') == npos) continue;
        for (const std::string& email : emails_in_text(blank_quoted_emails(line), limits::kMaxSpamBodyEmails)) {
            add(email);
            if (out.size() >= limits::kMaxSpamBodyEmails) return out;
        }
    }
    return out;
}

}  // namespace mw::spam
