// The header field policyd prepends for one SPF outcome or one skipped check, in the style
// chosen by header_type: Received-SPF (RFC 7208 §9.1), Authentication-Results (RFC 8601
// §2.7.2, smtp.mailfrom = the sender's domain / smtp.helo) or none (empty string).
// Skipped checks get policyd-spf's trace: "X-Comment: <why> - client-ip=...; ..." or an
// Authentication-Results "none" with the reason as comment.
// Unbounded here: PolicyReply bounds the reply line. Pure; thread-safe.
#pragma once

#include <string>
#include <string_view>

#include "common/spf/spf_checker.hpp"
#include "policyd/policy_options.hpp"

namespace mw::policyd {

/// What the headers say about the SMTP session.
struct HeaderContext {
    std::string client_ip;   // text form
    std::string helo;        // HELO name used for the check
    std::string sender;      // envelope sender, empty for the null sender
};

/// The RFC 7208 §9.1-style comment: "<receiver>: domain of <sender> designates <ip> as
/// permitted sender"; the receiver part is left out when `receiver` is empty.
std::string spf_comment(const spf::SpfOutcome& outcome, std::string_view sender,
                        std::string_view ip, std::string_view receiver);

/// "Received-SPF: ..." or "Authentication-Results: ..." for `outcome`; "" for header_type none.
std::string spf_result_header(const PolicyOptions& options, spf::Identity identity,
                              const spf::SpfOutcome& outcome, const HeaderContext& ctx);

/// The trace header for a check skipped because of `why` (e.g. "SPF skipped for whitelisted
/// relay"); "" for header_type none.
std::string skip_trace_header(const PolicyOptions& options, std::string_view why,
                              const HeaderContext& ctx);

}  // namespace mw::policyd
