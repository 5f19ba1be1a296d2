// SpfPolicy: one Postfix policy request -> one Decision, as policyd-spf (spf_engine 3.0) decides:
//   1. no client address -> DUNNO; SASL-authenticated client (skip_sasl) -> DUNNO;
//   2. skip_addresses, whitelist, domain_whitelist, helo_whitelist, domain_whitelist_ptr ->
//      PREPEND a trace header (X-Comment or Authentication-Results "none"), no SPF check;
//   3. HELO identity first (unless helo_reject = no_check; empty HELO -> the sender's domain
//      or "unknown"); a reject/defer verdict decides at once;
//   4. null sender: the HELO outcome decides; else MAIL FROM (unless mail_from_reject =
//      no_check). A MAIL FROM "none" keeps the HELO header when HELO had a result (§2.3).
// helo_whitelist trusts the HELO name only when Postfix's client_name (its forward-confirmed
// reverse name) equals it; domain_whitelist_ptr matches client_name (forward-confirmed), never
// the unverified reverse_client_name, against the listed domains and their subdomains.
// Reply codes are RFC 7372's: 550 5.7.23 (fail and other rejections), 550 5.7.24 (permerror),
// 4.7.24 with DEFER_IF_PERMIT or 451 (temperror). dry_run turns reject/defer into a PREPEND of
// the result header (DUNNO with header_type = none) and keeps what would have happened in the
// Decision. Pure apart from the SpfChecker it calls.
// Thread-safe when the SpfChecker is: decide() is const.
#pragma once

#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "common/base/deadline.hpp"
#include "common/spf/spf_checker.hpp"
#include "policyd/policy_options.hpp"
#include "policyd/policy_reply.hpp"
#include "policyd/policy_request.hpp"
#include "policyd/spf_header.hpp"

namespace mw::policyd {

/// What one identity's result asks for under a RejectPolicy (policyd-spf's _get_resultcodes).
enum class Verdict { Accept, Reject, Defer, NoAction };

/// @param null_sender the envelope sender is <> (matters for RejectPolicy::Null)
Verdict verdict_for(spf::Identity scope, RejectPolicy policy, spf::SpfResult result,
                    const PolicyOptions& options, bool null_sender);

using LogField = std::pair<std::string, std::string>;

struct Decision {
    ReplyAction action = ReplyAction::Dunno;    // what is sent
    ReplyAction intended = ReplyAction::Dunno;  // what would be sent without dry_run
    bool dry_run = false;                       // action was softened by dry_run
    bool replayed = false;                      // repeated from an earlier recipient
    std::string header;   // the whole header field for PREPEND
    std::string text;     // reject/defer text
    std::string code;     // "550", "451" or "" (keyword reply)
    std::string dsn;      // "5.7.23", "5.7.24", "4.7.24" or ""
    std::optional<spf::SpfOutcome> helo;
    std::optional<spf::SpfOutcome> mailfrom;
    std::optional<spf::Identity> decided_by;
    std::string skipped;  // why no SPF check ran: "skip_addresses", "whitelist", "sasl", ...
    HeaderContext context;
    std::string queue_id;
    /// How long (seconds) the same request would get the same decision: the smallest ttl of the
    /// SPF outcomes it used (kNoExpiry when it used none), 0 when one was a temperror.
    std::uint32_t ttl = kNoExpiry;

    static constexpr std::uint32_t kNoExpiry = std::numeric_limits<std::uint32_t>::max();

    /// The Postfix reply for `action`.
    PolicyReply reply() const;
    /// Key/value pairs for the decision log line, "action" last:
    /// spf=fail identity=mailfrom client=[203.0.113.9] helo=mx.example.org
    /// envelope-from=<a@example.org> ... action=reject
    std::vector<LogField> log_fields() const;
};

class SpfPolicy {
public:
    /// `checker` must outlive the policy.
    SpfPolicy(PolicyOptions options, spf::SpfChecker& checker);

    Decision decide(const PolicyRequest& request, Deadline deadline) const;
    const PolicyOptions& options() const { return options_; }

private:
    struct Run;
    struct Skip {
        const char* key;      // for logs
        const char* comment;  // for the trace header
    };

    std::optional<Skip> skip_reason(const PolicyRequest& req, const net::IpAddress& ip,
                                    Deadline deadline, std::uint32_t& ttl) const;
    bool domain_whitelisted(const net::IpAddress& ip, Deadline deadline, std::uint32_t& ttl) const;
    Run run(spf::Identity id, const net::IpAddress& ip, const HeaderContext& ctx,
            Deadline deadline) const;
    Decision& refuse(Decision& d, const Run& r) const;
    Decision& prepend(Decision& d, spf::Identity id, const spf::SpfOutcome& o) const;
    Decision& finish(Decision& d) const;

    PolicyOptions options_;
    spf::SpfChecker& checker_;
};

}  // namespace mw::policyd
