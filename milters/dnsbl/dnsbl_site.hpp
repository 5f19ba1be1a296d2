// DnsblSite: one entry of a *_sites key in postscreen_dnsbl_sites syntax (postconf(5)):
// "zone[=filter][*weight]", e.g. "zen.spamhaus.org=127.0.0.[2..11]*3, list.dnswl.org*-2".
// Without a filter any non-error answer counts; without a weight the weight is 1; a negative
// weight marks an allow list. An entry listed twice counts twice (each entry is scored alone).
// A site also says what it is asked about (DnsblTarget): the client address (dnsbl_sites) or,
// as an RHSBL, a domain (rhsbl_sender_sites, rhsbl_helo_sites, rhsbl_client_sites,
// rhsbl_from_sites).
// Spamhaus DQS: "$dqs_key" in a zone is replaced by the dqs_key setting in the query zone only;
// the display zone keeps the placeholder and is the only one shown in replies, logs, headers.
// Limits: kMaxDnsblSites entries, |weight| <= kMaxDnsblWeight, zones <= kMaxDnsName,
// kMaxDnsblDqsKey. Pure; thread-compatible.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/base/result.hpp"
#include "milters/dnsbl/reply_filter.hpp"

namespace mw::dnsbl {

/// What a list is asked about.
enum class DnsblTarget {
    ClientAddress,  // reversed IP (RFC 5782 §2.1, §2.4): dnsbl_sites
    SenderDomain,   // envelope sender's domain: rhsbl_sender_sites (reject_rhsbl_sender)
    HeloName,       // HELO/EHLO name: rhsbl_helo_sites (reject_rhsbl_helo)
    ClientName,     // verified reverse client name: rhsbl_client_sites (reject_rhsbl_client)
    FromDomain,     // From: header's domain: rhsbl_from_sites
};

/// "client", "sender", "helo", "client_name", "from": for logs.
const char* to_string(DnsblTarget target);
/// Postfix's $rbl_class for the target ("Client host", "Sender address", ...).
const char* rbl_class(DnsblTarget target);

inline constexpr std::string_view kDqsKeyPlaceholder = "$dqs_key";

struct DnsblSite {
    std::string display_zone;  // lower case, "$dqs_key" kept: safe to show anywhere
    std::string query_zone;    // lower case, key substituted: for DNS queries only
    std::optional<ReplyFilter> filter;
    int weight = 1;
    DnsblTarget target = DnsblTarget::ClientAddress;
    std::string secret;  // the DQS key when the zone uses it, else empty

    /// "zone=filter*weight" with the display zone (for logs and -n output).
    std::string to_string() const;
    /// `text` with the query zone and the secret replaced by the display zone / placeholder.
    std::string redact(std::string_view text) const;
};

/// Parses one entry. `dqs_key` is the dqs_key setting (may be empty if no zone uses it).
Result<DnsblSite> parse_dnsbl_site(std::string_view entry, DnsblTarget target,
                                   std::string_view dqs_key);
/// Parses a whole *_sites value (entries separated by commas and/or white space).
Result<std::vector<DnsblSite>> parse_dnsbl_sites(std::string_view value, DnsblTarget target,
                                                 std::string_view dqs_key);

}  // namespace mw::dnsbl
