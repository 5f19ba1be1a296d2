#include "milters/spam/mime/mime_structure.hpp"

#include <algorithm>
#include <map>
#include <optional>
#include <regex>
#include <string>

#include "common/base/ascii.hpp"
#include "common/base/limits.hpp"
#include "milters/spam/mime/header_block.hpp"
#include "milters/spam/mime/sa_content_type.hpp"
#include "milters/spam/mime/transfer_decoder.hpp"

namespace mw::spam {
namespace {

/// One body line as SA holds it: the text and whether its "\n" is still there.
struct Line {
    std::string_view text;
    bool newline = true;
    std::size_t size() const { return text.size() + (newline ? 1 : 0); }
};
using Lines = std::vector<Line>;

/// The fields of one node that MIMEEval reads (the last of each, unfolded and trimmed).
struct NodeHeaders {
    std::optional<std::string> type;
    std::string cte;   // lowercase
    std::string cd;    // lowercase
};

/// Message.pm's per-message flags (a message/rfc822 part keeps its own, which rules never see).
struct MessageFlags {
    bool epilogue = false;
    bool missing_mime_headers = false;
    bool part_limit = false;
    std::map<std::string, int> boundary_state;
};

Lines split_lines(std::string_view body, bool crlf) {
    Lines out;
    std::size_t start = 0;
    while (start < body.size()) {
        std::size_t nl = body.find('\n', start);
        const bool has_nl = nl != std::string_view::npos;
        if (!has_nl) nl = body.size();
        std::string_view text = body.substr(start, nl - start);
        if (crlf && has_nl && text.ends_with('\r')) text.remove_suffix(1);
        out.push_back({text, has_nl});
        start = nl + 1;
    }
    return out;
}

/// SA: ^[\041-\071\073-\176]+ then, when `blanks`, [ \t]*, then ':'.
bool is_field_line(std::string_view s, bool blanks) {
    std::size_t i = 0;
    while (i < s.size() && s[i] >= '!' && s[i] <= '~' && s[i] != ':') ++i;
    if (i == 0) return false;
    while (blanks && i < s.size() && (s[i] == ' ' || s[i] == '\t')) ++i;
    return i < s.size() && s[i] == ':';
}

/// SA: ^--\Q$boundary\E(--)?\s*$ ; `closing` tells whether the "--" was there.
bool is_boundary(std::string_view s, const std::string& b, bool& closing) {
    if (!s.starts_with("--") || s.substr(2, b.size()) != b) return false;
    std::string_view rest = s.substr(2 + b.size());
    closing = rest.starts_with("--");
    if (closing) rest.remove_prefix(2);
    for (char c : rest)
        if (!is_space_ascii(c)) return false;
    return true;
}

bool has_non_space(std::string_view s) {
    for (char c : s)
        if (!is_space_ascii(c)) return true;
    return false;
}

std::string unfold(std::string_view v) {
    std::string out;
    for (std::size_t i = 0; i < v.size(); ++i) {
        if (v[i] == '\n') {
            while (i + 1 < v.size() && (v[i + 1] == ' ' || v[i + 1] == '\t')) ++i;
            out += ' ';
        } else {
            out += v[i];
        }
    }
    std::size_t b = 0, e = out.size();
    while (b < e && is_space_ascii(out[b])) ++b;
    while (e > b && is_space_ascii(out[e - 1])) --e;
    return out.substr(b, e - b);
}

void set_header(NodeHeaders& h, std::string_view name, std::string value) {
    if (iequals_ascii(name, "content-type")) h.type = std::move(value);
    else if (iequals_ascii(name, "content-transfer-encoding")) h.cte = to_lower_ascii(value);
    else if (iequals_ascii(name, "content-disposition")) h.cd = to_lower_ascii(value);
}

NodeHeaders node_headers(const std::vector<HeaderField>& fields) {
    NodeHeaders h;
    for (const auto& f : fields) set_header(h, f.name, f.decoded);
    return h;
}

/// SA: split(/:\s*/, $header, 2) on a part's collected field.
void add_part_field(NodeHeaders& h, std::string_view field) {
    const std::size_t colon = field.find(':');
    if (colon == std::string_view::npos) return;
    std::size_t v = colon + 1;
    while (v < field.size() && is_space_ascii(field[v])) ++v;
    set_header(h, field.substr(0, colon), unfold(field.substr(v)));
}

/// SA splits lines over MAX_BODY_LINE_LENGTH into pieces that each get a "\n".
void push_line(Lines& part, Line l) {
    while (l.text.size() > limits::kMaxSpamBodyLine) {
        part.push_back({l.text.substr(0, limits::kMaxSpamBodyLine), true});
        l.text.remove_prefix(limits::kMaxSpamBodyLine);
    }
    part.push_back(l);
}

/// QP "=XX" escapes of characters that need none (MIMEEval: the "evil hacker" regex).
std::size_t needless_escapes(std::string_view s) {
    auto hex_upper = [](char c) { return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'F'); };
    std::size_t n = 0;
    for (std::size_t i = 0; i + 2 < s.size(); ++i) {
        if (s[i] != '=') continue;
        const char a = s[i + 1], b = s[i + 2];
        const bool hit = (a == '0' && b == '9') || (a == '3' && hex_upper(b) && b != 'D') ||
                         ((a == '2' || a == '4' || a == '5' || a == '6') && hex_upper(b)) ||
                         (a == '7' && hex_upper(b) && b != 'F');
        if (hit) {
            ++n;
            i += 2;
        }
    }
    return n;
}

/// Escaped blanks (=09, =20) at the end of a QP line, before trailing white space.
std::size_t trailing_escaped_blanks(std::string_view s) {
    while (!s.empty() && is_space_ascii(s.back())) s.remove_suffix(1);
    std::size_t n = 0;
    while (s.size() >= 3 && (s.ends_with("=09") || s.ends_with("=20"))) {
        s.remove_suffix(3);
        ++n;
    }
    return n;
}

/// "&#xHHHH;" (upper-case hex, as SA's regex) in a line.
std::size_t unicode_escapes(std::string_view s) {
    std::size_t n = 0;
    for (std::size_t at = s.find("&#x"); at != std::string_view::npos; at = s.find("&#x", at + 1)) {
        if (at + 8 > s.size() || s[at + 7] != ';') continue;
        bool hex = true;
        for (std::size_t k = at + 3; k < at + 7; ++k)
            hex &= (s[k] >= '0' && s[k] <= '9') || (s[k] >= 'A' && s[k] <= 'F');
        if (hex) {
            ++n;
            at += 7;
        }
    }
    return n;
}

bool ascii_illegal(std::string_view s) {
    for (char c : s) {
        const auto u = static_cast<unsigned char>(c);
        if (u == 0 || u == '\r' || u >= 0x80) return true;
    }
    return false;
}

bool is_ascii_charset_name(const std::string& cs) {
    static const std::regex re(
        "us-ascii|ansi_x3\\.4-1968|iso-ir-6|ansi_x3\\.4-1986|iso_646\\.irv:1991|ascii|iso646-us|us|ibm367|cp367|csascii");
    return std::regex_search(cs, re);
}

bool is_bad_iso_charset(const std::string& cs) {
    static const std::regex bad("iso-\\S+-\\S+\\b", std::regex::icase);
    static const std::regex good("iso-(?:8859-\\d{1,2}|2022-(?:jp|kr))\\b");
    return std::regex_search(cs, bad) && !std::regex_search(cs, good);
}

class Walker {
public:
    Walker(const MimeLimits& limits, MimeFacts& facts) : limits_(limits), facts_(facts) {}

    void message(const NodeHeaders& h, Lines body, int subparse, MessageFlags& flags);
    void finish(const MessageFlags& top);

private:
    void node(const NodeHeaders& h, std::string type, std::optional<std::string> boundary, Lines body,
              int subparse, MessageFlags& flags);
    void multipart(const std::string& type, const std::string& boundary, Lines body, int subparse,
                   MessageFlags& flags);
    void inner_message(const NodeHeaders& h, const Lines& body, int subparse);
    void check_header(const NodeHeaders& h, const SaContentType& ct);
    void check_leaf(const NodeHeaders& h, const SaContentType& ct, const Lines& body);
    void check_line(const Line& l, const NodeHeaders& h, const SaContentType& ct, std::size_t part);

    const MimeLimits& limits_;
    MimeFacts& facts_;
    std::size_t nodes_ = 0;
    std::vector<std::optional<std::size_t>> part_bytes_;
    std::vector<std::string> part_types_;
};

void Walker::message(const NodeHeaders& h, Lines body, int subparse, MessageFlags& flags) {
    const SaContentType ct = parse_sa_content_type(h.type);
    if (ct.type.starts_with("multipart/") && body.size() > 1 && has_non_space(body[0].text)) {
        if (!ct.boundary || !body[0].text.starts_with("--" + *ct.boundary))
            body.insert(body.begin(), Line{"", true});   // SA: so the first lines are no part header
    }
    node(h, ct.type, ct.boundary, std::move(body), subparse, flags);
}

void Walker::node(const NodeHeaders& h, std::string type, std::optional<std::string> boundary, Lines body,
                  int subparse, MessageFlags& flags) {
    if (++nodes_ > limits_.max_parts) return;
    const SaContentType ct = parse_sa_content_type(h.type);
    check_header(h, ct);
    if (type.starts_with("multipart/") && boundary && subparse > 0)
        return multipart(type, *boundary, std::move(body), subparse, flags);
    if (!ct.missing) type = !ct.type.starts_with("multipart/") || boundary ? ct.type : "text/plain";
    if ((type == "message/rfc822" || type == "message/global") && subparse > 0)
        return inner_message(h, body, subparse);
    check_leaf(h, ct, body);
}

void Walker::inner_message(const NodeHeaders& h, const Lines& body, int subparse) {
    std::string raw;
    for (const Line& l : body) {
        raw += l.text;
        if (l.newline) raw += '\n';
    }
    std::string decoded;
    if (h.cte.find("base64") != std::string::npos) decode_base64(raw, decoded, limits_.max_decoded_bytes);
    else if (h.cte.find("quoted-printable") != std::string::npos)
        decode_quoted_printable(raw, decoded, limits_.max_decoded_bytes);
    else decoded = std::move(raw);
    if (decoded.empty()) return check_leaf(h, parse_sa_content_type(h.type), body);
    std::string_view text = decoded;
    if (text.starts_with("From ") && text.find(':') != 5) text.remove_prefix(std::min(text.size(), text.find('\n') + 1));
    const bool crlf = text.substr(0, text.find('\n') + 1).ends_with("\r\n");
    HeaderBlock block = parse_header_block(text);
    MessageFlags own;   // SA keeps an inner message's flags on its own object
    message(node_headers(block.fields), split_lines(text.substr(block.body_offset), crlf), subparse - 1, own);
}

void Walker::multipart(const std::string& type, const std::string& boundary, Lines body, int subparse,
                       MessageFlags& flags) {
    --subparse;
    bool closing = false;
    for (std::size_t i = 0; i < body.size(); ++i) {
        if (!is_boundary(body[i].text, boundary, closing) || closing) continue;
        flags.boundary_state[boundary] = 1;
        if (i + 1 < body.size() && !is_field_line(body[i + 1].text, false)) flags.missing_mime_headers = true;
        body.erase(body.begin(), body.begin() + static_cast<std::ptrdiff_t>(i) + 1);   // the preamble
        break;
    }
    NodeHeaders part_headers;
    std::string field;
    Lines part;
    bool in_body = false, nested = false;
    std::size_t parts = 0, left = body.size();
    for (std::size_t i = 0; i < body.size(); ++i) {
        const Line& l = body[i];
        bool end = is_boundary(l.text, boundary, closing);
        if (end && nested) {
            end = false;
            if (closing) nested = false;
        }
        if (--left == 0 || end) {
            if (!end) push_line(part, l);
            else if (!part.empty()) {
                part.back().newline = false;   // the line end before a boundary belongs to it
                if (part.back().text.empty()) part.pop_back();
            }
            SaContentType ct = parse_sa_content_type(part_headers.type);
            std::string child_type = ct.missing && type == "multipart/digest" ? "message/rfc822" : ct.type;
            node(part_headers, std::move(child_type), ct.boundary ? ct.boundary : boundary, std::move(part),
                 subparse, flags);
            if (end && closing) {
                --flags.boundary_state[boundary];
                break;
            }
            if (left > 0 && !is_field_line(body[i + 1].text, false)) flags.missing_mime_headers = true;
            if (++parts == limits::kMaxSpamMimeParts) {
                flags.part_limit = true;
                return;
            }
            part_headers = {};
            field.clear();
            part.clear();
            in_body = false;
            continue;
        }
        if (!in_body) {
            if (is_field_line(l.text, true)) {
                if (!field.empty()) add_part_field(part_headers, field);
                field.assign(l.text);
                continue;
            }
            if (!field.empty() && !l.text.empty() && (l.text[0] == ' ' || l.text[0] == '\t')) {
                field += '\n';
                field += l.text;
                continue;
            }
            if (!field.empty()) {
                add_part_field(part_headers, field);
                if (auto nb = parse_sa_content_type(part_headers.type).boundary; nb && *nb == boundary) nested = true;
            }
            in_body = true;
            if (l.text.empty() || l.text == "\r") continue;
        }
        push_line(part, l);
    }
    for (std::size_t i = body.size() - left; left > 0 && i < body.size(); ++i) {
        if (has_non_space(body[i].text) && body[i].text.find_first_not_of(" \t\r\f\v.") != std::string_view::npos) {
            flags.epilogue = true;
            break;
        }
    }
}

void Walker::check_header(const NodeHeaders& h, const SaContentType& ct) {
    const std::string charset = ct.charset ? to_lower_ascii(*ct.charset) : "";
    if (ct.type == "multipart/alternative") facts_.multipart_alternative = true;
    if (ct.type == "text/html") ++facts_.html_parts;
    else if (ct.type.starts_with("text")) ++facts_.text_parts;
    if (h.cte.find("base64") != std::string::npos) ++facts_.base64_parts;
    else if (h.cte.find("quoted-printable") != std::string::npos) ++facts_.qp_parts;
    if (h.cd.find("attachment") != std::string::npos) ++facts_.attachments;
    if (ct.type.starts_with("text") && h.cte.find("base64") != std::string::npos &&
        (charset.empty() || is_ascii_charset_name(charset)) && !h.cd.starts_with("attachment") &&
        !h.cd.starts_with("inline"))
        facts_.base64_encoded_text = true;
    if (charset.find("iso-") != std::string::npos && is_bad_iso_charset(charset)) facts_.bad_iso_charset = true;
    const bool letter = std::any_of(charset.begin(), charset.end(), [](char c) { return c >= 'a' && c <= 'z'; });
    if (letter && facts_.charsets.size() < limits_.max_parts) facts_.charsets.push_back(charset);
}

void Walker::check_leaf(const NodeHeaders& h, const SaContentType& ct, const Lines& body) {
    const std::size_t part = part_types_.size();
    part_types_.push_back(ct.type);
    const bool attachment = h.cd.find("attachment") != std::string::npos;
    part_bytes_.push_back(attachment ? std::nullopt : std::optional<std::size_t>(0));
    const bool base64 = h.cte == "base64" && ct.type != "application/ics";
    for (const Line& l : body) {
        check_line(l, h, ct, part);
        if (base64) facts_.base64_longest_line = std::max(facts_.base64_longest_line, l.size());
    }
}

void Walker::check_line(const Line& l, const NodeHeaders& h, const SaContentType& ct, std::size_t part) {
    const bool plain = ct.type == "text/plain";
    if (facts_.multipart_alternative && part_bytes_[part] && (plain || ct.type == "text/html"))
        *part_bytes_[part] += l.size();
    if (h.cte == "quoted-printable" && !l.text.starts_with("SPAM: ")) {
        if (l.size() > 78 + 1) facts_.qp_long_line = true;   // RFC 5322's 78, as SA (bug 5491)
        facts_.qp_bytes += l.size();
        if (const std::size_t qp = needless_escapes(l.text); qp > 0)
            facts_.qp_encoded += qp - std::min(qp, trailing_escaped_blanks(l.text));
    }
    if (plain && (!ct.charset || to_lower_ascii(*ct.charset) == "us-ascii") && ascii_illegal(l.text))
        ++facts_.ascii_text_illegal;
    if (plain && (h.cte.empty() || h.cte == "7bit" || h.cte == "8bit")) {
        const std::size_t subs = unicode_escapes(l.text);
        facts_.unicode_escapes += subs;
        facts_.unicode_plain_chars += l.size() - 8 * subs;
    }
}

void Walker::finish(const MessageFlags& top) {
    facts_.epilogue_exists = top.epilogue;
    facts_.missing_mime_headers = top.missing_mime_headers;
    facts_.mimepart_limit_exceeded = top.part_limit;
    for (const auto& [boundary, state] : top.boundary_state)
        if (state != 0) facts_.missing_boundary = true;
    if (!facts_.multipart_alternative) return;
    std::optional<std::size_t> text, html;
    for (std::size_t i = part_types_.size(); i-- > 0;) {   // bug 4207: the last parts count
        if (!part_bytes_[i]) continue;
        if (!html && part_types_[i] == "text/html") html = part_bytes_[i];
        else if (!text && part_types_[i] == "text/plain") text = part_bytes_[i];
        if (text && html) break;
    }
    if (text && html && *html > 0) facts_.multipart_ratio = static_cast<double>(*text) / static_cast<double>(*html);
}

}  // namespace

void scan_mime_structure(std::string_view body, const std::vector<HeaderField>& headers, bool crlf,
                         const MimeLimits& limits, MimeFacts& out) {
    Walker walker(limits, out);
    MessageFlags flags;
    walker.message(node_headers(headers), split_lines(body, crlf), limits.max_depth, flags);
    walker.finish(flags);
}

}  // namespace mw::spam
