// The text of a reject or defer reply: policyd-spf's Reason_Message template with {rejectdefer},
// {spf} and {url} filled in, {url} itself from the reason_url template ({scope}, {id}, {ip},
// {receiver}). Unknown {names} are left as they are; values are inserted literally (never
// re-expanded), so DNS-supplied explanations cannot inject placeholders.
// Unbounded here: PolicyReply sanitizes and bounds the reply. Pure; thread-safe.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/spf/spf_checker.hpp"
#include "policyd/policy_options.hpp"

namespace mw::policyd {

using TemplateValues = std::vector<std::pair<std::string_view, std::string>>;

/// Replaces each "{name}" found in `values`; other text is copied as is.
std::string expand_template(std::string_view tmpl, const TemplateValues& values);

/// What {spf} says for `outcome`: the explanation for fail, a fixed phrase otherwise, or
/// "Receiver policy for SPF <Result>" when reject_not_pass_domains made it a rejection.
std::string spf_reason(const spf::SpfOutcome& outcome, bool receiver_policy);

struct ReasonInput {
    spf::Identity identity = spf::Identity::MailFrom;
    std::string id;           // the HELO name or the sender checked
    std::string client_ip;
    std::string spf;          // spf_reason()
    bool deferred = false;    // "deferred" rather than "rejected"
};

/// The full reply text from options.reason_message / options.reason_url.
std::string reason_message(const PolicyOptions& options, const ReasonInput& in);

}  // namespace mw::policyd
