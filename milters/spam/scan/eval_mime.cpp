// SpamAssassin's MIMEEval and HTMLEval tests that we can answer from the parsed message:
// HTML-only bodies, the text/plain to text/html size ratio of multipart/alternative mail,
// the parser's flags and whether the message has HTML. Semantics follow SA 4.0.1's
// Plugin/MIMEEval.pm, Plugin/HTMLEval.pm and Message.pm.
#include <optional>

#include "common/base/ascii.hpp"
#include "milters/spam/scan/eval_registry.hpp"
#include "milters/spam/scan/header_text.hpp"

namespace mw::spam {

namespace {

bool top_level_is_html(const ScanInput& in) {
    auto ct = last_header(in.message->headers, "Content-Type");
    return ct.size() >= 9 && iequals_ascii(ct.substr(0, 9), "text/html");
}

bool is_attachment(const MimePart& p) {
    for (const auto& h : p.headers)
        if (iequals_ascii(h.name, "Content-Disposition") && to_lower_ascii(h.decoded).find("attachment") != std::string::npos)
            return true;
    return false;
}

int html_only(const ScanInput& in, const EvalArgs&) {
    if (top_level_is_html(in)) return 1;
    int html = 0, text = 0;
    for (const auto& p : in.message->parts) {
        if (p.content_type == "text/html") ++html;
        else if (p.content_type.rfind("text", 0) == 0) ++text;
    }
    return html > 0 && text == 0 ? 1 : 0;
}

/// SA: in multipart/alternative mail, bytes of the last text/plain leaf over the last text/html
/// leaf (attachments left out); 1.0 when there is no such pair.
double multipart_ratio(const ParsedMessage& m) {
    bool alternative = false;
    std::optional<double> text, html;
    for (const auto& p : m.parts) alternative |= p.content_type == "multipart/alternative";
    if (!alternative) return 1.0;
    for (auto it = m.parts.rbegin(); it != m.parts.rend(); ++it) {
        if (!it->leaf || is_attachment(*it)) continue;
        if (!html && it->content_type == "text/html") html = static_cast<double>(it->raw_size);
        else if (!text && it->content_type == "text/plain") text = static_cast<double>(it->raw_size);
        if (text && html) break;
    }
    return text && html && *html > 0 ? *text / *html : 1.0;
}

int mime_multipart_ratio(const ScanInput& in, const EvalArgs& a) {
    // SA's signature is (body, min, max): the rule files give min and max.
    const double r = multipart_ratio(*in.message);
    return r >= std::stod(a[0]) && r < std::stod(a[1]) ? 1 : 0;
}

std::string two_numbers(const EvalArgs& a) {
    if (a.size() != 2) return "takes two numbers";
    try {
        (void)std::stod(a[0]), (void)std::stod(a[1]);
    } catch (...) {
        return "takes two numbers";
    }
    return "";
}

int parse_flag(const ScanInput& in, const EvalArgs& a) {
    const ParsedMessage& m = *in.message;
    if (a[0] == "missing_head_body_separator") return m.missing_head_body_separator ? 1 : 0;
    if (a[0] == "missing_mime_head_body_separator") return m.missing_mime_head_body_separator ? 1 : 0;
    return 0;
}

std::string known_flag(const EvalArgs& a) {
    if (a.size() != 1) return "takes one flag name";
    if (a[0] == "missing_head_body_separator" || a[0] == "missing_mime_head_body_separator") return "";
    return "parser flag " + a[0] + " not computed";
}

int html_test(const ScanInput& in, const EvalArgs&) { return in.message->html.has_html ? 1 : 0; }

std::string html_flag(const EvalArgs& a) {
    return a.size() == 1 && a[0] == "html" ? "" : "HTML property not computed";
}

}  // namespace

void register_mime_evals(EvalRegistry& r) {
    r.add("check_for_mime_html_only", {html_only, no_args});
    r.add("check_mime_multipart_ratio", {mime_multipart_ratio, two_numbers});
    r.add("check_msg_parse_flags", {parse_flag, known_flag});
    r.add("html_test", {html_test, html_flag});
}

}  // namespace mw::spam
