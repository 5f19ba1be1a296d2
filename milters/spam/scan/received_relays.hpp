// Parses one Received: field value into a Relay, as SpamAssassin 4.0.1's
// Mail::SpamAssassin::Message::Metadata::Received::parse_received_line does: the shapes of
// Postfix, sendmail, qmail (+ qmail-ldap, qpsmtpd), Exim, Microsoft SMTPSVC / Exchange, Yahoo,
// Hotmail, Gmail, Courier, CommuniGate, MDaemon, ... and the generic "from HELO (RDNS [IP]) by BY"
// forms (RFC 5321 §4.4 trace fields). Lines SA deliberately ignores (local handovers, fetchmail
// markers, header-less MTAs) are Skipped; lines it cannot read are Unparseable. Also formats a
// relay the way SA's X-Spam-Relays-* pseudo-headers show it. Values are bounded by the header
// value limit (limits::kMaxSpamHeaderValue) the caller applied. Pure; thread-safe.
#pragma once

#include <string>
#include <string_view>

namespace mw::spam {

/// One SMTP handover (SA's relay hash). Strings are as SA keeps them: invalid characters in
/// ip/rdns/helo/by/ident/envfrom replaced by '!', so a "[1.2.3.4]" HELO reads "!1.2.3.4!".
struct Relay {
    std::string ip, rdns, helo, by, ident, envfrom, id, auth;
    bool internal = false;             // inside internal_networks (intl=)
    bool msa = false;                  // inside msa_networks (msa=)
    bool ip_private = false;           // SA IP_PRIVATE (RFC 1918, loopback, link-local, CGN)
    bool no_reverse_dns = false;       // the MTA looks names up and found none
    bool rdns_not_in_headers = false;  // the MTA did not record a name lookup
};

/// What parse_received() made of one field.
enum class ReceivedKind {
    Relay,         // a usable handover
    Skipped,       // SA returns 0: known but uninteresting (local, BSMTP, fetchers)
    Unparseable,   // SA returns undef: counts against ALL_TRUSTED (num_relays_unparseable)
};

struct ReceivedParse {
    ReceivedKind kind = ReceivedKind::Unparseable;
    Relay relay;
    bool fetcher_marker = false;        // "with POP3|IMAP": SA restarts the trust walk
    bool qmail_scanner = false;         // qmail-scanner line: its envfrom goes to the next relay
    std::string qmail_scanner_envfrom;  // SA keeps undef / '' alike
};

/// Parses one Received value (decoded, unfolded or not).
ReceivedParse parse_received(std::string_view value);

/// "[ ip=... rdns=... helo=... by=... ident=... envfrom=... intl=0 id=... auth=... msa=0 ]".
std::string relay_as_string(const Relay& r);

/// SA's IP_PRIVATE as used on relay IPs (prefix match), and IS_IP_PRIVATE (whole string).
bool ip_is_private(std::string_view ip);
bool ip_is_private_exact(std::string_view ip);
/// SA's IS_IPV4_ADDRESS: a plain dotted quad, nothing else.
bool is_ipv4_address(std::string_view text);

}  // namespace mw::spam
