// ScanInput: everything a scan looks at for one message: the parsed message, the raw bytes (full
// rules), the SMTP envelope the milter saw, and the authentication results earlier checks left
// (our own Authentication-Results and Received-SPF fields, found by authserv-id). Pure value
// types; the scanner never modifies them, except the memo eval functions fill on first use
// (ScanInput::body_freemails, ::date_diff), so work several rules need is done once per message.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "milters/spam/mime/parsed_message.hpp"

namespace mw::spam {
struct RuleSet;
class FreemailDomains;
struct RelayAnalysis;   // milters/spam/scan/relay_trust.hpp
}

namespace mw::spam {

struct Envelope {
    std::string client_address;   // "192.0.2.1"; "" when unknown
    std::string client_name;      // verified reverse name, "unknown" or ""
    std::string helo;
    std::string mail_from;        // without angle brackets; "" for the null sender
    bool mail_from_known = true;  // false (a stored message): inferred from headers as SA does
    std::vector<std::string> rcpts;
    bool authenticated = false;   // SASL login
};

/// What mailwarden-policyd / mailwarden-dkim / mailwarden-dnsbl found, read from the headers
/// they added (only those naming our authserv-id: others may be forged).
struct AuthFacts {
    std::string spf;              // "pass", "fail", "softfail", "neutral", "none", "permerror",
                                  // "temperror", or "" when no SPF result is known
    std::string spf_helo;         // the HELO check's result, if given
    std::vector<std::string> dkim_pass_domains;   // d= of each dkim=pass
    bool dkim_signed = false;     // a DKIM-Signature field exists
    bool dkim_any_result = false; // a dkim= result of ours exists
    double dnsbl_score = 0;       // X-Mailwarden-DNSBL score=N
    bool dnsbl_seen = false;
};

/// FreeMail.pm's body scan (_parse_body) of one message: the freemail addresses in the body, or
/// none at all when it holds too many addresses (freemail_skip_when_over_max).
struct BodyFreemails {
    bool skipped = false;
    std::vector<std::string> emails;   // lower-case, unique, in the order found
};

struct ScanInput {
    const ParsedMessage* message = nullptr;
    const RuleSet* config = nullptr;   // settings of the rule files
    const FreemailDomains* freemail = nullptr;
    std::string_view raw;         // the whole message as received (headers + body)
    Envelope envelope;
    AuthFacts auth;
    /// When our MTA received the message (the milter: now). SpamAssassin sees the receiving
    /// MTA's own Received: field, which a milter never does; this stands in for its date.
    std::optional<int64_t> received_at;
    /// SpamAssassin's Received-chain relays (analyze_relays), when the scanner computed them.
    const RelayAnalysis* relays = nullptr;
    /// Filled by the first freemail rule that needs it (eval_freemail.cpp). One ScanInput is
    /// scanned by one thread, so this needs no lock.
    mutable std::optional<BodyFreemails> body_freemails;
    /// SA's date_diff (Date minus the nearest Received date), filled by the first of the ~10
    /// DATE_IN_PAST/FUTURE rules (eval_header.cpp); the inner nullopt: no usable dates.
    mutable std::optional<std::optional<int64_t>> date_diff;
};

}  // namespace mw::spam
