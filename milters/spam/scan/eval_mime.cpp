// SpamAssassin's MIMEEval and HTMLEval tests that we can answer from the parsed message:
// HTML-only bodies (the other MIMEEval tests: eval_body.cpp; HTMLEval: eval_html.cpp). Semantics follow SA 4.0.1's
// Plugin/MIMEEval.pm, Plugin/HTMLEval.pm and Message.pm.
#include "common/base/ascii.hpp"
#include "milters/spam/scan/eval_registry.hpp"
#include "milters/spam/scan/header_text.hpp"

namespace mw::spam {

namespace {

bool top_level_is_html(const ScanInput& in) {
    auto ct = last_header(in.message->headers, "Content-Type");
    return ct.size() >= 9 && iequals_ascii(ct.substr(0, 9), "text/html");
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

}  // namespace

void register_mime_evals(EvalRegistry& r) {
    r.add("check_for_mime_html_only", {html_only, no_args});
}

}  // namespace mw::spam
