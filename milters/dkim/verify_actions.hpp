// VerifyActions: what mailwarden-dkim does with an inbound message after verifying it, beyond the
// Authentication-Results header (which every message gets). OpenDKIM's On-BadSignature,
// On-KeyNotFound, On-DNSError and On-NoSignature, narrowed to the domains that ask for it:
//
// - With `action_domains` set, only mail whose From: domain is one of them (or a subdomain) is
//   acted on, and only signatures aligned with that domain count (d= equal to the From: domain
//   or a parent of it, as DMARC's relaxed alignment, RFC 7489 §3.1.1): a mailing list's valid
//   signature does not rescue a forged From: of a listed domain. Without it, every message, and
//   every signature counts.
// - The outcome over the counted signatures: pass if any passed; else temperror if any could
//   not be checked now (a retry may pass); else fail (fail, policy, neutral); else permerror;
//   else none (no signature at all).
// - Each outcome but pass maps to accept (the default), reject (550 5.7.1), tempfail (451 4.7.5
//   for temperror, else 451 4.7.1), hold (Postfix's hold queue) or discard.
// Pure; thread-safe once built.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/base/result.hpp"
#include "common/milter/reply.hpp"
#include "milters/dkim/dkim_verifier.hpp"

namespace mw::dkim {

enum class ResultAction { Accept, Reject, Tempfail, Hold, Discard };

/// "accept", "reject", ... (the config words, and dry_run= in the log line).
std::string_view result_action_name(ResultAction a);
/// Parses a config word; nullopt for anything else.
std::optional<ResultAction> parse_result_action(std::string_view word);

struct VerifyActions {
    std::vector<std::string> domains;   // lower case; empty: every message
    ResultAction on_fail = ResultAction::Accept;
    ResultAction on_permerror = ResultAction::Accept;
    ResultAction on_temperror = ResultAction::Accept;
    ResultAction on_none = ResultAction::Accept;

    bool any() const;
};

/// What the actions say about one verified message.
struct ActionDecision {
    ResultAction action = ResultAction::Accept;
    std::string outcome;   // "fail", "permerror", "temperror", "none"
    std::string domain;    // the From: domain (acted on), or empty without action_domains

    /// The milter reply carrying out `action` (Accept: continue).
    milter::Reply reply() const;
};

/// nullopt: nothing to do (no actions set, a pass, or a From: domain not listed).
/// `author_domain` is the From: address's domain, empty when there was no single usable one.
std::optional<ActionDecision> decide_action(const VerifyActions& actions, std::string_view author_domain,
                                            const std::vector<VerifyResult>& results);

}  // namespace mw::dkim
