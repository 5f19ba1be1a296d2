// ReplyFilter: the "=d.d.d.d" answer filter of a postscreen_dnsbl_sites entry (Postfix
// ip_match(3) syntax). Each of the four octets is a number 0..255, or a "[...]" set of
// ";"-separated numbers and "n..m" ranges: 127.0.0.[2..11], 127.0.[0..255].[1;3;10..11].
// IPv4 only, as DNS lists answer A records (RFC 5782 §2.1); an IPv6 answer never matches.
// Limits: at most limits::kMaxDnsblFilterItems items in one set. Pure; thread-compatible.
#pragma once

#include <array>
#include <bitset>
#include <string>
#include <string_view>

#include "common/base/result.hpp"
#include "common/net/ip_address.hpp"

namespace mw::dnsbl {

class ReplyFilter {
public:
    /// Parses "d.d.d.d" with optional [..] sets; the message says what is wrong.
    static Result<ReplyFilter> parse(std::string_view text);

    /// True when every octet of the IPv4 address is in its octet's set.
    bool matches(const net::IpAddress& address) const;
    /// The filter as configured (for logs and -n output).
    const std::string& text() const { return text_; }

private:
    using OctetSet = std::bitset<256>;
    static Result<OctetSet> parse_octet(std::string_view text);
    static Result<OctetSet> parse_set(std::string_view items);

    std::array<OctetSet, 4> octets_{};
    std::string text_;
};

}  // namespace mw::dnsbl
