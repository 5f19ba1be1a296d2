// DNS list query names (RFC 5782 §2.1, §2.3, §2.4): the client address reversed (IPv4 octets,
// IPv6 nibbles) or a domain, followed by the list's query zone. A name that would exceed
// limits::kMaxDnsName (or a label kMaxDnsLabel) is not asked (nullopt). As Postfix's
// find_dnsxl_domain(), an RHSBL skips empty names, address literals ("[192.0.2.1]"), invalid
// host names and names whose last label is all digits (Spamhaus refuses IP-like queries).
// IPv4-mapped IPv6 clients are asked as IPv4. Pure; thread-compatible.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "common/net/ip_address.hpp"

namespace mw::dnsbl {

/// "2.0.0.127.zen.example" for 127.0.0.2; nibbles for IPv6.
std::optional<std::string> client_query_name(const net::IpAddress& client, std::string_view zone);

/// The domain of `name_or_address`: the part after the last '@' of an address, else the name;
/// lower case, trailing dot removed. nullopt when it is not a host name an RHSBL can be asked.
std::optional<std::string> rhsbl_domain(std::string_view name_or_address);

/// "example.com.dbl.example" for "user@Example.COM"; nullopt as for rhsbl_domain() or when
/// too long.
std::optional<std::string> domain_query_name(std::string_view name_or_address,
                                             std::string_view zone);

}  // namespace mw::dnsbl
