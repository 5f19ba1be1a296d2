// Query names: RFC 5782 §2.1 (IPv4), §2.4 (IPv6), §2.3 (domains), Postfix's RHSBL skips.
#include "milters/dnsbl/query_name.hpp"

#include <catch2/catch.hpp>

#include "common/base/limits.hpp"

using namespace mw::dnsbl;
using mw::net::IpAddress;

TEST_CASE("query_name: IPv4 reversed octets (RFC 5782 §2.1 example)", "[dnsbl]") {
    auto name = client_query_name(*IpAddress::parse("192.168.42.23"), "dnsbl.example.net");
    REQUIRE(name);
    CHECK(*name == "23.42.168.192.dnsbl.example.net");
}

TEST_CASE("query_name: IPv6 reversed nibbles (RFC 5782 §2.4 example)", "[dnsbl]") {
    auto name =
        client_query_name(*IpAddress::parse("2001:db8:1:2:3:4:567:89ab"), "ugly.example.com");
    REQUIRE(name);
    CHECK(*name ==
          "b.a.9.8.7.6.5.0.4.0.0.0.3.0.0.0.2.0.0.0.1.0.0.0.8.b.d.0.1.0.0.2.ugly.example.com");
}

TEST_CASE("query_name: IPv4-mapped IPv6 is asked as IPv4", "[dnsbl]") {
    auto name = client_query_name(*IpAddress::parse("::ffff:192.0.2.1"), "bl.example");
    REQUIRE(name);
    CHECK(*name == "1.2.0.192.bl.example");
}

TEST_CASE("query_name: too long names are not asked", "[dnsbl]") {
    const std::string label(63, 'z');
    const std::string zone = label + "." + label + "." + label;  // 191
    CHECK(client_query_name(*IpAddress::parse("192.0.2.1"), zone));
    CHECK_FALSE(client_query_name(*IpAddress::parse("2001:db8::1"), zone));  // 64 + 191 > 253
}

TEST_CASE("query_name: RHSBL names from addresses and host names (RFC 5782 §2.3)", "[dnsbl]") {
    CHECK(domain_query_name("User@Example.COM", "dbl.example") ==
          std::optional<std::string>("example.com.dbl.example"));
    CHECK(domain_query_name("mail.example.org.", "dbl.example") ==
          std::optional<std::string>("mail.example.org.dbl.example"));
    CHECK(domain_query_name("\"a@b\"@example.net", "dbl.example") ==
          std::optional<std::string>("example.net.dbl.example"));
}

TEST_CASE("query_name: RHSBL skips what Postfix skips", "[dnsbl]") {
    for (const char* skip :
         {"", "user@", "user@[192.0.2.1]", "[192.0.2.1]", "192.0.2.1", "host.123",
          "bad_-.example..com", "-lead.example", "sp ace.example", "user@exa$mple.com"}) {
        INFO(skip);
        CHECK_FALSE(domain_query_name(skip, "dbl.example"));
    }
}

TEST_CASE("query_name: RHSBL length bound, at the limit and one past it", "[dnsbl]") {
    const std::string zone = "dbl.example";                              // 11
    const std::size_t room = mw::limits::kMaxDnsName - zone.size() - 1;  // 241 for the domain
    std::string domain;
    while (domain.size() + 64 <= room) domain += std::string(63, 'a') + ".";
    domain += std::string(room - domain.size(), 'b');
    REQUIRE(domain.size() == room);
    auto name = domain_query_name(domain, zone);
    REQUIRE(name);
    CHECK(name->size() == mw::limits::kMaxDnsName);
    CHECK_FALSE(domain_query_name(domain + "b", zone));
}
