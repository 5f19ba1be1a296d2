// DnsblSite: the postscreen_dnsbl_sites entry grammar, weights, DQS keys.
#include "milters/dnsbl/dnsbl_site.hpp"

#include <catch2/catch.hpp>

#include "common/base/limits.hpp"

using namespace mw::dnsbl;

namespace {

std::vector<DnsblSite> sites(const char* value, const char* key = "") {
    auto s = parse_dnsbl_sites(value, DnsblTarget::ClientAddress, key);
    if (!s) FAIL(s.error().message);
    return *s;
}

}  // namespace

TEST_CASE("DnsblSite: the issue's example list", "[dnsbl]") {
    auto s = sites(
        "zen.spamhaus.org=127.0.0.[2..11]*3, bl.spamcop.net*2,\n"
        " list.dnswl.org=127.0.[0..255].[1..3]*-2");
    REQUIRE(s.size() == 3);
    CHECK(s[0].display_zone == "zen.spamhaus.org");
    CHECK(s[0].query_zone == "zen.spamhaus.org");
    REQUIRE(s[0].filter);
    CHECK(s[0].filter->text() == "127.0.0.[2..11]");
    CHECK(s[0].weight == 3);
    CHECK(s[1].display_zone == "bl.spamcop.net");
    CHECK_FALSE(s[1].filter);
    CHECK(s[1].weight == 2);
    CHECK(s[2].weight == -2);
    CHECK(s[2].to_string() == "list.dnswl.org=127.0.[0..255].[1..3]*-2");
}

TEST_CASE("DnsblSite: default weight 1, zone folded to lower case, trailing dot dropped",
          "[dnsbl]") {
    auto s = sites("Bl.Example.ORG.");
    REQUIRE(s.size() == 1);
    CHECK(s[0].weight == 1);
    CHECK(s[0].display_zone == "bl.example.org");
    CHECK(s[0].target == DnsblTarget::ClientAddress);
    CHECK(s[0].to_string() == "bl.example.org");
}

TEST_CASE("DnsblSite: the same zone twice gives two entries", "[dnsbl]") {
    auto s = sites("list.dnswl.org=127.0.[2..15].0*-2 list.dnswl.org=127.0.[2..15].1*-3");
    REQUIRE(s.size() == 2);
    CHECK(s[0].weight == -2);
    CHECK(s[1].weight == -3);
}

TEST_CASE("DnsblSite: target is carried", "[dnsbl]") {
    auto s = parse_dnsbl_sites("dbl.example", DnsblTarget::SenderDomain, "");
    REQUIRE(s);
    CHECK((*s)[0].target == DnsblTarget::SenderDomain);
    CHECK(std::string(rbl_class(DnsblTarget::SenderDomain)) == "Sender address");
    CHECK(std::string(rbl_class(DnsblTarget::HeloName)) == "Helo command");
    CHECK(std::string(rbl_class(DnsblTarget::ClientAddress)) == "Client host");
}

TEST_CASE("DnsblSite: DQS key goes into the query zone only", "[dnsbl]") {
    auto s = sites("$dqs_key.zen.dq.spamhaus.net=127.0.0.[2..255]*3", "AbC123xyz");
    REQUIRE(s.size() == 1);
    CHECK(s[0].display_zone == "$dqs_key.zen.dq.spamhaus.net");
    CHECK(s[0].query_zone == "abc123xyz.zen.dq.spamhaus.net");
    CHECK(s[0].to_string().find("abc123") == std::string::npos);
    CHECK(s[0].redact("2.0.0.127.abc123xyz.zen.dq.spamhaus.net: SERVFAIL key AbC123xyz") ==
          "2.0.0.127.$dqs_key.zen.dq.spamhaus.net: SERVFAIL key $dqs_key");
}

TEST_CASE("DnsblSite: DQS placeholder without a usable key is an error", "[dnsbl]") {
    CHECK_FALSE(parse_dnsbl_sites("$dqs_key.zen.dq.spamhaus.net", DnsblTarget::ClientAddress, ""));
    CHECK_FALSE(
        parse_dnsbl_sites("$dqs_key.zen.dq.spamhaus.net", DnsblTarget::ClientAddress, "a.b"));
    CHECK_FALSE(parse_dnsbl_sites("$dqs_key.zen.dq.spamhaus.net", DnsblTarget::ClientAddress,
                                  std::string(mw::limits::kMaxDnsblDqsKey + 1, 'a')));
    CHECK(parse_dnsbl_sites("$dqs_key.zen.dq.spamhaus.net", DnsblTarget::ClientAddress,
                            std::string(mw::limits::kMaxDnsblDqsKey, 'a')));
}

TEST_CASE("DnsblSite: errors say what is wrong", "[dnsbl]") {
    for (const char* bad :
         {"=127.0.0.2", "zen.example=", "zen.example*", "zen.example*x", "zen.example*1.5",
          "zen.example*+", "zen..example", ".zen.example", "zen.example=127.0.0.[2..1]",
          "zen ex@mple", "zen.example*3=127.0.0.2", "zen.example=127.0.0.2*3*4"}) {
        INFO(bad);
        CHECK_FALSE(parse_dnsbl_sites(bad, DnsblTarget::ClientAddress, ""));
    }
    auto e = parse_dnsbl_sites("zen.example*abc", DnsblTarget::ClientAddress, "");
    REQUIRE_FALSE(e);
    CHECK(e.error().message.find("zen.example*abc") != std::string::npos);
}

TEST_CASE("DnsblSite: weight bound, at the limit and one past it", "[dnsbl]") {
    const int max = mw::limits::kMaxDnsblWeight;
    CHECK(parse_dnsbl_site("z.example*" + std::to_string(max), DnsblTarget::ClientAddress, ""));
    CHECK(parse_dnsbl_site("z.example*-" + std::to_string(max), DnsblTarget::ClientAddress, ""));
    CHECK_FALSE(
        parse_dnsbl_site("z.example*" + std::to_string(max + 1), DnsblTarget::ClientAddress, ""));
    CHECK_FALSE(parse_dnsbl_site("z.example*99999999999999", DnsblTarget::ClientAddress, ""));
}

TEST_CASE("DnsblSite: entry count bound and zone length bound", "[dnsbl]") {
    std::string list;
    for (std::size_t i = 0; i < mw::limits::kMaxDnsblSites; ++i)
        list += "z" + std::to_string(i) + ".example ";
    CHECK(parse_dnsbl_sites(list, DnsblTarget::ClientAddress, ""));
    CHECK_FALSE(parse_dnsbl_sites(list + "one.more", DnsblTarget::ClientAddress, ""));
    CHECK_FALSE(
        parse_dnsbl_site(std::string(64, 'a') + ".example", DnsblTarget::ClientAddress, ""));
    CHECK(parse_dnsbl_site(std::string(63, 'a') + ".example", DnsblTarget::ClientAddress, ""));
}
