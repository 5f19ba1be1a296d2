#include "common/dns/server_address.hpp"

#include <catch2/catch.hpp>

using mw::dns::ServerAddress;

TEST_CASE("ServerAddress: ADDR and ADDR:PORT, IPv4 and IPv6", "[dns]") {
    struct Case {
        const char* text;
        const char* address;
        uint16_t port;
    };
    for (auto c : {Case{"192.0.2.1", "192.0.2.1", 53}, Case{"127.0.0.1:5353", "127.0.0.1", 5353},
                   Case{"::1", "::1", 53}, Case{"[::1]:5353", "::1", 5353},
                   Case{"[2001:DB8::1]", "2001:db8::1", 53},
                   Case{"10.0.0.1:65535", "10.0.0.1", 65535}, Case{"10.0.0.1:1", "10.0.0.1", 1}}) {
        auto s = ServerAddress::parse(c.text);
        INFO(c.text);
        REQUIRE(s);
        CHECK(s->address.to_string() == c.address);
        CHECK(s->port == c.port);
    }
}

TEST_CASE("ServerAddress: to_string brackets IPv6", "[dns]") {
    CHECK(ServerAddress::parse("::1")->to_string() == "[::1]:53");
    CHECK(ServerAddress::parse("127.0.0.1:5353")->to_string() == "127.0.0.1:5353");
}

TEST_CASE("ServerAddress: rejects bad text with a message naming it", "[dns]") {
    for (const char* bad : {"", "dns.example", "192.0.2.1:", "192.0.2.1:0", "192.0.2.1:65536",
                            "192.0.2.1:53x", "192.0.2.1:-1", "[::1", "[::1]5353",
                            "[::1]:", "[192.0.2.1]:53", "::1:5353x", "1.2.3.4.5", " 192.0.2.1"}) {
        auto s = ServerAddress::parse(bad);
        INFO(bad);
        REQUIRE_FALSE(s);
        CHECK(s.error().message.find(std::string("\"") + bad + "\"") != std::string::npos);
    }
}
