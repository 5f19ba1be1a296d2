// What the DNS lists said about one client: one SiteOutcome per configured site (in the order
// of the configuration), the total score and the verdict against the thresholds.
// Scoring is postscreen's (postconf(5) postscreen_dnsbl_sites): each listed entry adds its weight
// once, however many codes matched; entries naming the same zone each count; failed and skipped
// sites add nothing. Verdict: Blocked when score >= dnsbl_threshold (default 1); Allowlisted when
// dnsbl_allowlist_threshold < 0 and score <= it (postscreen_dnsbl_allowlist_threshold).
// Pure data; thread-compatible.
#pragma once

#include <string>
#include <vector>

#include "common/net/ip_address.hpp"
#include "milters/dnsbl/dnsbl_answer.hpp"
#include "milters/dnsbl/dnsbl_site.hpp"

namespace mw::dnsbl {

struct SiteOutcome {
    DnsblSite site;  // a copy: the outcome outlives config reloads
    DnsblStatus status = DnsblStatus::Skipped;
    std::string what;                   // what was looked up: address, name or sender ($rbl_what)
    std::vector<net::IpAddress> codes;  // Listed: the matching answer codes
    std::string reason;                 // Listed: TXT text ($rbl_reason), redacted, bounded
    std::string why;                    // Failed/Skipped: why, redacted

    bool listed() const { return status == DnsblStatus::Listed; }
    /// The weight this outcome adds to the score (0 unless listed).
    int score() const { return listed() ? site.weight : 0; }
};

struct DnsblThresholds {
    int threshold = 1;            // dnsbl_threshold
    int allowlist_threshold = 0;  // dnsbl_allowlist_threshold; < 0 enables allowlisting
};

enum class DnsblVerdict { Pass, Blocked, Allowlisted };

const char* to_string(DnsblVerdict verdict);

struct DnsblResult {
    std::vector<SiteOutcome> sites;
    int score = 0;            // sum of the weights of listed entries
    int allowlist_score = 0;  // sum of the negative weights of listed entries (<= 0)

    /// True when at least one site was asked and every asked site failed (dns_failure_action).
    bool all_failed() const;
    std::size_t failed_count() const;
    DnsblVerdict verdict(const DnsblThresholds& thresholds) const;
    /// The listed outcome with the largest weight (the one a reject reply names), or nullptr.
    const SiteOutcome* strongest_listing() const;
};

}  // namespace mw::dnsbl
