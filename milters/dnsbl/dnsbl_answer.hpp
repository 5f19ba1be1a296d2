// Classifies the A answer of one DNS list query for one site: listed (with the answer codes
// that matched the site's filter), not listed, or failed (with why).
// Errors, never listings: any answer outside 127.0.0.0/8 (RFC 5782 §2.1; a hijacking resolver
// answers public addresses), 127.255.255.0/24 (Spamhaus: query refused, e.g. through an open or
// public resolver, over the limit, bad zone) and 127.0.0.255 (DNSWL: over quota). One such code
// in an answer makes the whole answer an error: the list is not usable from here.
// RCODE failures (SERVFAIL, timeout, ...) are errors too; NXDOMAIN and NODATA are "not listed".
// Pure; thread-compatible.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "common/dns/resolver.hpp"
#include "common/net/ip_address.hpp"
#include "milters/dnsbl/reply_filter.hpp"

namespace mw::dnsbl {

enum class DnsblStatus {
    Listed,
    NotListed,
    Failed,   // error answer, DNS failure or timeout: counts as not listed
    Skipped,  // nothing to ask (no sender domain, address literal, name too long, ...)
};

const char* to_string(DnsblStatus status);

struct ClassifiedAnswer {
    DnsblStatus status = DnsblStatus::NotListed;
    std::vector<net::IpAddress> codes;  // Listed: the answer addresses that matched
    std::string why;                    // Failed: why (for logs and the outcome)
};

/// Why `code` is a list error rather than a listing, or nullopt if it is a listing code.
std::optional<std::string> error_code_reason(const net::IpAddress& code);

/// Classifies `answer` (an A query) against `filter` (nullptr: any non-error code counts).
ClassifiedAnswer classify_answer(const dns::Answer& answer, const ReplyFilter* filter);

}  // namespace mw::dnsbl
