#include "policyd/reason_message.hpp"

#include <cctype>

namespace mw::policyd {

namespace {

const std::string* value_of(const TemplateValues& values, std::string_view name) {
    for (const auto& [key, value] : values)
        if (key == name) return &value;
    return nullptr;
}

/// "Softfail", "Permerror": policyd-spf's capitalized result names.
std::string capitalized(spf::SpfResult r) {
    std::string s = spf::to_string(r);
    if (!s.empty()) s[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(s[0])));
    return s;
}

std::string with_problem(std::string_view prefix, const std::string& problem) {
    return problem.empty() ? std::string(prefix) : std::string(prefix) + ": " + problem;
}

}  // namespace

std::string expand_template(std::string_view tmpl, const TemplateValues& values) {
    std::string out;
    std::size_t i = 0;
    while (i < tmpl.size()) {
        const auto open = tmpl.find('{', i);
        const auto close = open == std::string_view::npos ? open : tmpl.find('}', open);
        if (close == std::string_view::npos) break;
        out.append(tmpl.substr(i, open - i));
        const auto* v = value_of(values, tmpl.substr(open + 1, close - open - 1));
        // Unknown names stay literal; restart after the '{' so "{{spf}" still works.
        if (v) {
            out += *v;
            i = close + 1;
        } else {
            out += '{';
            i = open + 1;
        }
    }
    out.append(tmpl.substr(std::min(i, tmpl.size())));
    return out;
}

std::string spf_reason(const spf::SpfOutcome& outcome, bool receiver_policy) {
    if (receiver_policy) return "Receiver policy for SPF " + capitalized(outcome.result);
    switch (outcome.result) {
        case spf::SpfResult::Fail:
            return outcome.explanation.empty() ? "SPF fail - not authorized" : outcome.explanation;
        case spf::SpfResult::SoftFail: return "SPF softfail - domain owner discourages use of this host";
        case spf::SpfResult::Neutral: return "SPF neutral - access neither permitted nor denied";
        case spf::SpfResult::PermError: return with_problem("SPF permanent error", outcome.problem);
        case spf::SpfResult::TempError: return with_problem("SPF temporary error", outcome.problem);
        case spf::SpfResult::Pass: return "SPF pass";
        case spf::SpfResult::None: return "SPF none";
    }
    return {};
}

std::string reason_message(const PolicyOptions& options, const ReasonInput& in) {
    const std::string receiver = options.hide_receiver || options.receiver.empty()
                                     ? std::string("<UNKNOWN>")
                                     : options.receiver;
    const std::string url = expand_template(
        options.reason_url,
        {{"scope", in.identity == spf::Identity::Helo ? "helo" : "mfrom"},
         {"id", in.id},
         {"ip", in.client_ip},
         {"receiver", receiver}});
    return expand_template(options.reason_message,
                           {{"rejectdefer", in.deferred ? "deferred" : "rejected"},
                            {"spf", in.spf},
                            {"url", url}});
}

}  // namespace mw::policyd
