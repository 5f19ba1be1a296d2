#include "milters/spam/mime/header_decoder.hpp"

#include <optional>
#include <vector>

#include "common/base/ascii.hpp"
#include "milters/spam/mime/charset_converter.hpp"
#include "milters/spam/mime/transfer_decoder.hpp"

namespace mw::spam {
namespace {

/// One "=?charset?B|Q?text?=" word (RFC 2047 §2), SA's lenient grammar.
struct EncodedWord {
    std::string_view charset;
    char encoding = 'B';
    std::string_view text;
    std::size_t length = 0;  // bytes the word spans in the input
};

bool is_charset_char(char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
           c == '*' || c == '_' || c == '-';
}

std::optional<EncodedWord> encoded_word_at(std::string_view s, std::size_t i) {
    if (s.compare(i, 2, "=?") != 0) return std::nullopt;
    std::size_t j = i + 2;
    while (j < s.size() && is_charset_char(s[j])) ++j;
    if (j == i + 2 || j + 3 > s.size() || s[j] != '?') return std::nullopt;
    const char enc = to_lower_ascii(s[j + 1]);
    if ((enc != 'b' && enc != 'q') || s[j + 2] != '?') return std::nullopt;
    const std::size_t text_start = j + 3;
    const std::size_t q = s.find('?', text_start);
    if (q == std::string_view::npos || q + 1 >= s.size() || s[q + 1] != '=') return std::nullopt;
    EncodedWord w;
    w.charset = s.substr(i + 2, j - (i + 2));
    w.encoding = enc;
    w.text = s.substr(text_start, q - text_start);
    w.length = q + 2 - i;
    return w;
}

/// Field names whose bodies SA never 2047-decodes (Bug 6945).
bool is_undecoded_field(std::string_view name) {
    static constexpr std::string_view kNames[] = {
        "received", "message-id", "date", "resent-message-id", "resent-date",
        "mime-version", "references", "in-reply-to"};
    for (const auto n : kNames)
        if (iequals_ascii(name, n)) return true;
    return name.size() >= 5 && iequals_ascii(name.substr(0, 5), "list-");
}

/// A run of text in one charset ("" = not encoded), raw bytes after B/Q decoding.
struct Section {
    std::string bytes;
    std::string charset;
};

void add_section(std::vector<Section>& sections, std::string_view bytes, std::string charset) {
    if (!sections.empty() && sections.back().charset == charset) {
        sections.back().bytes += bytes;  // SA merges same-charset neighbours (Bug 7249)
        return;
    }
    sections.push_back(Section{std::string(bytes), std::move(charset)});
}

std::string decode_word_bytes(const EncodedWord& w) {
    if (w.encoding == 'q') return decode_q_encoding(w.text);
    std::string out;
    decode_base64(w.text, out, w.text.size());
    return out;
}

/// Charset without the RFC 2231 §5 language suffix ("us-ascii*en" -> "us-ascii").
std::string charset_of(std::string_view cs) {
    return to_lower_ascii(cs.substr(0, cs.find('*')));
}

/// Length of white space at s[i] that is followed by another encoded word, else 0.
std::size_t gap_before_next_word(std::string_view s, std::size_t i) {
    std::size_t j = i;
    while (j < s.size() && (s[j] == ' ' || s[j] == '\t' || s[j] == '\r' || s[j] == '\n')) ++j;
    if (j == i || !encoded_word_at(s, j)) return 0;
    return j - i;
}

}  // namespace

std::string decode_encoded_words(std::string_view value) {
    std::vector<Section> sections;
    std::size_t i = 0;
    bool after_word = false;
    while (i < value.size()) {
        if (auto w = encoded_word_at(value, i)) {
            add_section(sections, decode_word_bytes(*w), charset_of(w->charset));
            i += w->length;
            after_word = true;
            continue;
        }
        if (after_word) {
            if (const std::size_t gap = gap_before_next_word(value, i); gap > 0) {
                i += gap;  // RFC 2047 §6.2: white space between encoded words is not shown
                continue;
            }
        }
        after_word = false;
        const std::size_t next = value.find("=?", i + 1);
        const std::size_t end = next == std::string_view::npos ? value.size() : next;
        add_section(sections, value.substr(i, end - i), "");
        i = end;
    }
    std::string out;
    out.reserve(value.size());
    for (const auto& s : sections) {
        if (s.charset.empty()) out += s.bytes;
        else append_as_utf8(out, s.bytes, s.charset);
    }
    return out;
}

std::string decode_header_value(std::string_view raw, std::string_view name) {
    std::string unfolded;
    unfolded.reserve(raw.size());
    for (std::size_t i = 0; i < raw.size(); ++i) {
        const char c = raw[i];
        if (c == '\r' && i + 1 < raw.size() && raw[i + 1] == '\n') continue;
        if (c == '\n') {
            // SA's Node::header: a line end and the white space run after it become one space
            // ("\n[ \t]+" -> " "); a bare line end just goes.
            bool folded = false;
            while (i + 1 < raw.size() && (raw[i + 1] == ' ' || raw[i + 1] == '\t')) ++i, folded = true;
            if (folded) unfolded += ' ';
            continue;
        }
        unfolded += c;
    }
    // ... and white space at either end is trimmed.
    while (!unfolded.empty() && is_space_ascii(unfolded.back())) unfolded.pop_back();
    std::size_t lead = 0;
    while (lead < unfolded.size() && is_space_ascii(unfolded[lead])) ++lead;
    unfolded.erase(0, lead);
    if (!is_valid_utf8(unfolded)) unfolded = to_utf8(unfolded, "");
    if (is_undecoded_field(name) || unfolded.find("=?") == std::string::npos) return unfolded;
    return decode_encoded_words(unfolded);
}

}  // namespace mw::spam
