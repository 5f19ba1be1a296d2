#include <catch2/catch.hpp>

#include "common/net/ip_address.hpp"

using mw::net::IpAddress;

TEST_CASE("IpAddress: parses and formats IPv4 and IPv6", "[net]") {
    auto a = IpAddress::parse("192.0.2.1");
    REQUIRE(a);
    CHECK(a->is_v4());
    CHECK(a->to_string() == "192.0.2.1");
    auto b = IpAddress::parse("2001:DB8:0:0::1");
    REQUIRE(b);
    CHECK(b->is_v6());
    CHECK(b->to_string() == "2001:db8::1");
}

TEST_CASE("IpAddress: rejects bad text", "[net]") {
    for (const char* bad : {"", "1.2.3", "1.2.3.4.5", "256.1.1.1", "::g", "[::1]", "1.2.3.4/8",
                            "fe80::1%eth0", " 1.2.3.4", "01234567890123456789012345678901234567890123456"})
        CHECK_FALSE(IpAddress::parse(bad));
}

TEST_CASE("IpAddress: v4-mapped IPv6 unmaps to IPv4", "[net]") {
    auto m = IpAddress::parse("::ffff:192.0.2.9");
    REQUIRE(m);
    CHECK(m->is_v4_mapped());
    CHECK(m->unmapped() == *IpAddress::parse("192.0.2.9"));
    CHECK_FALSE(IpAddress::parse("::1")->is_v4_mapped());
    CHECK(IpAddress::parse("::1")->unmapped() == *IpAddress::parse("::1"));
}

TEST_CASE("IpAddress: dotted and reverse forms (RFC 7208 %{i}, RFC 5782)", "[net]") {
    CHECK(IpAddress::parse("192.0.2.3")->reverse_name() == "3.2.0.192");
    auto v6 = IpAddress::parse("2001:db8::cb01");
    CHECK(v6->to_dotted() ==
          "2.0.0.1.0.d.b.8.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.c.b.0.1");
    CHECK(v6->reverse_name() ==
          "1.0.b.c.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2");
}

TEST_CASE("IpAddress: prefix matching", "[net]") {
    auto a = *IpAddress::parse("192.0.2.130");
    auto n = *IpAddress::parse("192.0.2.128");
    CHECK(a.matches_prefix(n, 25));
    CHECK_FALSE(a.matches_prefix(n, 32));
    CHECK(a.matches_prefix(n, 0));
    CHECK_FALSE(a.matches_prefix(n, 33));
    CHECK_FALSE(a.matches_prefix(*IpAddress::parse("::1"), 0));
}
