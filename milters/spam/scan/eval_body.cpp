// SpamAssassin's MIMEEval and BodyEval tests over the parser's MIME facts and body texts:
// check_for_mime items, illegal us-ascii text, Unicode escapes, base64 line lengths, upper-case
// share, blank lines, vertical words, stock tips, body length, multipart/alternative word
// differences. Semantics follow SA 4.0.1's Plugin/MIMEEval.pm and Plugin/BodyEval.pm; the facts
// come from milters/spam/mime/mime_structure.hpp. Pure; thread-safe.
#include <algorithm>
#include <set>

#include "common/base/ascii.hpp"
#include "milters/spam/scan/capture_regex.hpp"
#include "milters/spam/scan/eval_registry.hpp"
#include "milters/spam/scan/header_text.hpp"

namespace mw::spam {

namespace {

std::optional<double> number(const std::string& s) {
    try {
        std::size_t used = 0;
        const double v = std::stod(s, &used);
        return used == s.size() ? std::optional<double>(v) : std::nullopt;
    } catch (...) {
        return std::nullopt;
    }
}

/// Argument check: exactly `n` numbers, or `n - optional` to `n`.
auto numbers(std::size_t n, std::size_t optional = 0) {
    return [n, optional](const EvalArgs& a) -> std::string {
        if (a.size() > n || a.size() + optional < n) return "takes " + std::to_string(n) + " numbers";
        for (const auto& x : a)
            if (!number(x)) return "argument is not a number: " + x;
        return "";
    };
}

double arg(const EvalArgs& a, std::size_t i) { return number(a[i]).value_or(0); }

// --- MIMEEval --------------------------------------------------------------------------------

const std::set<std::string, std::less<>> kMimeItems = {
    "mime_attachment", "mime_bad_iso_charset", "mime_base64_blanks", "mime_base64_count",
    "mime_base64_encoded_text", "mime_body_html_count", "mime_body_text_count", "mime_faraway_charset",
    "mime_missing_boundary", "mime_multipart_alternative", "mime_multipart_ratio", "mime_qp_count",
    "mime_qp_long_line", "mime_qp_ratio", "mime_ascii_text_illegal", "mime_text_unicode_ratio",
    "mimepart_limit_exceeded"};

double unicode_ratio(const MimeFacts& f) {
    return f.unicode_plain_chars ? static_cast<double>(f.unicode_escapes) / static_cast<double>(f.unicode_plain_chars) : 0;
}

double qp_ratio(const MimeFacts& f) {
    return f.qp_bytes ? static_cast<double>(f.qp_encoded) / static_cast<double>(f.qp_bytes) : 0;
}

/// SA: true when $pms->{item} exists and is true. Items SA never sets on $pms (base64_blanks,
/// mimepart_limit_exceeded lives on the message) are never true; faraway charsets need
/// ok_locales, whose default "all" accepts every charset.
int check_for_mime(const ScanInput& in, const EvalArgs& a) {
    const MimeFacts& f = in.message->mime;
    const std::string& item = a[0];
    if (item == "mime_attachment") return f.attachments > 0;
    if (item == "mime_bad_iso_charset") return f.bad_iso_charset;
    if (item == "mime_base64_count") return f.base64_parts > 0;
    if (item == "mime_base64_encoded_text") return f.base64_encoded_text;
    if (item == "mime_body_html_count") return f.html_parts > 0;
    if (item == "mime_body_text_count") return f.text_parts > 0;
    if (item == "mime_missing_boundary") return f.missing_boundary;
    if (item == "mime_multipart_alternative") return f.multipart_alternative;
    if (item == "mime_multipart_ratio") return f.multipart_ratio != 0;
    if (item == "mime_qp_count") return f.qp_bytes ? f.qp_encoded > 0 : f.qp_parts > 0;
    if (item == "mime_qp_long_line") return f.qp_long_line;
    if (item == "mime_qp_ratio") return qp_ratio(f) != 0;
    if (item == "mime_ascii_text_illegal") return f.ascii_text_illegal > 0;
    if (item == "mime_text_unicode_ratio") return unicode_ratio(f) != 0;
    return 0;
}

std::string mime_item(const EvalArgs& a) {
    if (a.size() != 1) return "takes one MIME property";
    return kMimeItems.count(a[0]) ? "" : "MIME property " + a[0] + " not computed";
}

int mime_html(const ScanInput& in, const EvalArgs&) {
    auto ct = last_header(in.message->headers, "Content-Type");
    while (!ct.empty() && is_space_ascii(ct.front())) ct.remove_prefix(1);
    if (ct.size() >= 9 && iequals_ascii(ct.substr(0, 9), "text/html")) return 1;
    return in.message->mime.html_parts > 0;
}

int ascii_text_illegal(const ScanInput& in, const EvalArgs&) { return in.message->mime.ascii_text_illegal > 0; }

/// SA returns 0 for a ratio not written as ^\d{0,3}\.\d{1,3}$.
bool sa_ratio_syntax(const std::string& s) {
    const auto dot = s.find('.');
    if (dot == std::string::npos || dot > 3 || s.size() - dot - 1 < 1 || s.size() - dot - 1 > 3) return false;
    return std::all_of(s.begin(), s.end(), [](char c) { return c == '.' || (c >= '0' && c <= '9'); }) &&
           std::count(s.begin(), s.end(), '.') == 1;
}

int abundant_unicode(const ScanInput& in, const EvalArgs& a) {
    if (!sa_ratio_syntax(a[0])) return 0;
    return unicode_ratio(in.message->mime) >= arg(a, 0);
}

int base64_length(const ScanInput& in, const EvalArgs& a) {
    const auto len = static_cast<double>(in.message->mime.base64_longest_line);
    if (a.size() > 1 && len > arg(a, 1)) return 0;
    return len >= arg(a, 0);
}

/// SA's CHARSETS_LIKELY_TO_FP_AS_CAPS, over the top Content-Type charset and every part's.
bool caps_fp_charset(const ScanInput& in) {
    static const CaptureRegex fp(
        "^[-_a-z0-9]*(?:koi|jp|jis|euc|gb|big5|isoir|cp1251|windows-1251|georgianps|pt154|tis)[-_a-z0-9]*$", true);
    static const CaptureRegex ct_charset("charset=\"([^\"]+)\"|charset='([^']+)'|charset=(\\S+)", true);
    std::vector<std::string> charsets = in.message->mime.charsets;
    Captures c;
    if (ct_charset.search(last_header(in.message->headers, "Content-Type"), &c))
        charsets.push_back(c.str(c.set(1) ? 1 : c.set(2) ? 2 : 3));
    return std::any_of(charsets.begin(), charsets.end(), [](const std::string& s) { return fp.search(s); });
}

double uppercase_percent(const ScanInput& in) {
    if (caps_fp_charset(in)) return 0;
    static const CaptureRegex spaced("\\S\\s+\\S");
    static const CaptureRegex base64("^(?:[A-Za-z0-9+/=]{60,76} ){2}");
    static const CaptureRegex jis("\\x1b\\$B.*\\x1b\\(B", false);
    std::size_t len = 0, lower = 0, upper = 0;
    for (const std::string& body_line : in.message->body_lines) {
        if (!spaced.search(body_line) || base64.search(body_line)) continue;
        std::string line = body_line;
        jis.replace(line, "", true);
        std::size_t digits_lower = 0;
        for (char c : line) {
            if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) ++digits_lower;
            else if (c >= 'A' && c <= 'Z') ++upper;
        }
        len += line.size();   // SA takes the length before its tr/a-z0-9//d
        lower += digits_lower;
    }
    if (len < 200 || upper + lower == 0) return 0;
    return 100.0 * static_cast<double>(upper) / static_cast<double>(upper + lower);
}

int uppercase(const ScanInput& in, const EvalArgs& a) {
    const double pct = uppercase_percent(in);
    return pct > arg(a, 0) && pct <= arg(a, 1);
}

int mime_multipart_ratio(const ScanInput& in, const EvalArgs& a) {
    const double r = in.message->mime.multipart_ratio;
    return r >= arg(a, 0) && r < arg(a, 1);
}

const std::set<std::string, std::less<>> kParseFlags = {
    "missing_head_body_separator", "missing_mime_head_body_separator", "mime_epilogue_exists",
    "missing_mime_headers", "truncated_header", "mimepart_limit_exceeded"};

int parse_flag(const ScanInput& in, const EvalArgs& a) {
    const ParsedMessage& m = *in.message;
    const std::string& f = a[0];
    if (f == "missing_head_body_separator") return m.missing_head_body_separator;
    if (f == "missing_mime_head_body_separator") return m.missing_mime_head_body_separator;
    if (f == "mime_epilogue_exists") return m.mime.epilogue_exists;
    if (f == "missing_mime_headers") return m.mime.missing_mime_headers;
    if (f == "truncated_header") return m.mime.truncated_header;
    if (f == "mimepart_limit_exceeded") return m.mime.mimepart_limit_exceeded;
    return 0;
}

std::string known_flag(const EvalArgs& a) {
    if (a.size() != 1) return "takes one flag name";
    return kParseFlags.count(a[0]) ? "" : "parser flag " + a[0] + " not computed";
}

// --- BodyEval --------------------------------------------------------------------------------

int alternative_difference(const ScanInput& in, const EvalArgs& a) {
    const double d = in.message->alternative.max_difference;
    return (arg(a, 0) == 0 || d > arg(a, 0)) && (a[1] == "undef" || d <= arg(a, 1));
}

std::string min_and_max_or_undef(const EvalArgs& a) {
    if (a.size() != 2 || !number(a[0]) || (a[1] != "undef" && !number(a[1]))) return "takes a minimum and a maximum";
    return "";
}

int alternative_difference_count(const ScanInput& in, const EvalArgs& a) {
    const AlternativeDifference& d = in.message->alternative;
    if (static_cast<double>(d.html_words) <= arg(a, 1)) return 0;
    return static_cast<double>(d.text_words) / static_cast<double>(d.html_words) > arg(a, 0);
}

double blank_line_percent(const ScanInput& in, double min_lines) {
    std::size_t lines = 0, blank = 0;
    for (const std::string& chunk : in.message->rawbody_lines) {
        std::size_t start = 0;
        while (start < chunk.size()) {
            std::size_t nl = chunk.find('\n', start);
            nl = nl == std::string::npos ? chunk.size() : nl + 1;
            ++lines;
            const std::string_view line(chunk.data() + start, nl - start);
            blank += std::all_of(line.begin(), line.end(), [](char c) { return is_space_ascii(c); });
            start = nl;
        }
    }
    if (static_cast<double>(lines) < min_lines) return -1;
    return 100.0 * static_cast<double>(blank) / static_cast<double>(lines);
}

int blank_line_ratio(const ScanInput& in, const EvalArgs& a) {
    const double min = arg(a, 0), max = arg(a, 1);
    const double r = blank_line_percent(in, a.size() > 2 ? std::max(1.0, arg(a, 2)) : 1.0);
    return (min == 0 && r <= max) || (r > min && r <= max);
}

int vertical_words(const ScanInput& in, const EvalArgs& a) {
    const double min = arg(a, 0), max = arg(a, 1) >= 100 ? 101 : arg(a, 1);
    int worst = -1;
    for (const std::string& line : in.message->body_lines) {
        if (line.size() <= 5) continue;
        const auto spaces = static_cast<std::size_t>(std::count(line.begin(), line.end(), ' '));
        const std::size_t other = line.size() - spaces;
        const int pct = spaces > other || other == 0 ? 100 : static_cast<int>(100 * spaces / other);
        worst = std::max(worst, pct);
    }
    return worst >= min && worst < max;
}

int stock_info_count(const ScanInput& in) {
    const ParsedMessage& m = *in.message;
    auto part = std::find_if(m.parts.begin(), m.parts.end(), [](const MimePart& p) { return p.leaf && p.content_type == "text/plain"; });
    if (part == m.parts.end()) return 0;
    static const CaptureRegex field("(?m)^\\s*([^:\\s][^:\\n]{2,29})\\s*:\\s*\\S");
    static const CaptureRegex stock(
        "^(trad(?:e|ing)date|company(?:name)?|s\\w?(?:t\\w?o\\w?c\\w?k|y\\w?m(?:\\w?b\\w?o\\w?l)?)|t(?:arget|icker)|"
        "(?:opening|current)p(?:rice)?|p(?:rojected|osition)|expectations|weeks?high|marketperformance|"
        "(?:year|week|month|day|price)(?:target|estimates?)|sector|r(?:ecommendation|ating))$");
    std::set<std::string> hits;
    const std::size_t end = std::min(m.rawbody_lines.size(), part->rawbody_first + part->rawbody_count);
    Captures c, s;
    for (std::size_t i = part->rawbody_first; i < end; ++i) {
        const std::string& chunk = m.rawbody_lines[i];
        for (std::size_t at = 0; at <= chunk.size() && field.search_from(chunk, at, &c);) {
            std::string name;
            for (char ch : c[1])
                if (ch >= 'a' && ch <= 'z') name += ch;
                else if (ch >= 'A' && ch <= 'Z') name += to_lower_ascii(ch);
            if (stock.search(name, &s)) hits.insert(s.str(1));
            at = std::max(c.end(0), at + 1);
        }
    }
    return static_cast<int>(hits.size());
}

int stock_info(const ScanInput& in, const EvalArgs& a) {
    const double min = arg(a, 0);
    return min == 0 || stock_info_count(in) >= min;
}

int body_length(const ScanInput& in, const EvalArgs& a) {
    return static_cast<double>(in.message->body_size) <= arg(a, 0);
}

}  // namespace

void register_body_evals(EvalRegistry& r) {
    r.add("check_for_mime", {check_for_mime, mime_item});
    r.add("check_for_mime_html", {mime_html, no_args});
    r.add("check_for_ascii_text_illegal", {ascii_text_illegal, no_args});
    r.add("check_abundant_unicode_ratio", {abundant_unicode, numbers(1)});
    r.add("check_base64_length", {base64_length, numbers(2, 1)});
    r.add("check_for_uppercase", {uppercase, numbers(2)});
    r.add("check_mime_multipart_ratio", {mime_multipart_ratio, numbers(2)});
    r.add("check_msg_parse_flags", {parse_flag, known_flag});
    r.add("multipart_alternative_difference", {alternative_difference, min_and_max_or_undef});
    r.add("multipart_alternative_difference_count", {alternative_difference_count, numbers(2)});
    r.add("check_blank_line_ratio", {blank_line_ratio, numbers(3, 1)});
    r.add("tvd_vertical_words", {vertical_words, numbers(2)});
    r.add("check_stock_info", {stock_info, numbers(1)});
    r.add("check_body_length", {body_length, numbers(1)});
}

}  // namespace mw::spam
