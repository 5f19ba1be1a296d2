#include <catch2/catch.hpp>

#include "common/net/cidr.hpp"

using mw::net::Cidr;
using mw::net::CidrSet;
using mw::net::IpAddress;

TEST_CASE("Cidr: parse and contains", "[net]") {
    auto c = Cidr::parse("192.0.2.0/24");
    REQUIRE(c);
    CHECK(c->contains(*IpAddress::parse("192.0.2.77")));
    CHECK_FALSE(c->contains(*IpAddress::parse("192.0.3.1")));
    CHECK(c->to_string() == "192.0.2.0/24");
    auto host = Cidr::parse("2001:db8::1");
    REQUIRE(host);
    CHECK(host->prefix == 128);
}

TEST_CASE("Cidr: errors", "[net]") {
    CHECK_FALSE(Cidr::parse("192.0.2.1/24"));   // host bits set
    CHECK_FALSE(Cidr::parse("192.0.2.0/33"));
    CHECK_FALSE(Cidr::parse("192.0.2.0/"));
    CHECK_FALSE(Cidr::parse("192.0.2.0/-1"));
    CHECK_FALSE(Cidr::parse("nonsense/8"));
    CHECK(Cidr::parse("192.0.2.1/24").error().message.find("beyond the prefix") != std::string::npos);
}

TEST_CASE("Cidr: IPv4 blocks match v4-mapped clients and mapped blocks match IPv4", "[net]") {
    CHECK(Cidr::parse("127.0.0.0/8")->contains(*IpAddress::parse("::ffff:127.0.0.1")));
    CHECK(Cidr::parse("::ffff:127.0.0.0/104")->contains(*IpAddress::parse("127.1.2.3")));
    CHECK_FALSE(Cidr::parse("::ffff:127.0.0.0/104")->contains(*IpAddress::parse("128.0.0.1")));
}

TEST_CASE("CidrSet: lists with commas and white space", "[net]") {
    auto s = CidrSet::parse("127.0.0.0/8, ::ffff:127.0.0.0/104 ::1");
    REQUIRE(s);
    CHECK(s->blocks().size() == 3);
    CHECK(s->contains(*IpAddress::parse("::1")));
    CHECK(s->contains(*IpAddress::parse("127.0.0.2")));
    CHECK_FALSE(s->contains(*IpAddress::parse("10.0.0.1")));
    CHECK_FALSE(CidrSet::parse("127.0.0.0/8, bogus"));
    CHECK(CidrSet::parse("")->empty());
}
