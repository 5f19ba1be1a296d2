// The address of one DNS server as the `dns_servers` key names it: "ADDR[:PORT]", i.e.
// "192.0.2.1", "127.0.0.1:5353", "::1", "[::1]:5353" (RFC 3986 §3.2.2 brackets for IPv6 with a
// port). The port defaults to 53 and must be 1..65535. No names: a resolver cannot need a
// resolver to find itself. Pure; thread-compatible.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "common/base/result.hpp"
#include "common/net/ip_address.hpp"

namespace mw::dns {

struct ServerAddress {
    static constexpr uint16_t kDefaultPort = 53;

    net::IpAddress address;
    uint16_t port = kDefaultPort;

    /// Parses "ADDR[:PORT]"; the error message quotes the text and says what is wrong.
    static Result<ServerAddress> parse(std::string_view text);

    /// "ADDR:PORT", or "[ADDR]:PORT" for IPv6.
    std::string to_string() const;
};

}  // namespace mw::dns
