// Libspf2Checker itself: the zone is what libspf2 sees, and each libspf2 result maps to its
// SpfResult, so that the differential test compares real answers.
#include <catch2/catch.hpp>

#include <string>

#include "tests/support/libspf2_checker.hpp"

using mw::dns::RrType;
using mw::spf::SpfResult;
using mw::test::Libspf2Checker;
using mw::test::ZoneRecord;

namespace {

mw::spf::SpfOutcome check(const std::vector<ZoneRecord>& zone, const char* ip,
                          const std::string& sender = "alice@example.com",
                          mw::spf::Identity identity = mw::spf::Identity::MailFrom) {
    auto checker = Libspf2Checker::create(zone, "mx.example.org");
    REQUIRE(checker);
    mw::spf::SpfRequest req;
    req.client = *mw::net::IpAddress::parse(ip);
    req.helo = "helo.example.com";
    req.sender = sender;
    req.identity = identity;
    return (*checker)->check(req, mw::Deadline::after(std::chrono::seconds(5)));
}

}  // namespace

TEST_CASE("Libspf2Checker: qualifiers map to results", "[spf][differential]") {
    const std::vector<ZoneRecord> zone = {
        {"example.com", RrType::TXT, "v=spf1 ip4:192.0.2.0/24 ~ip6:2001:db8::/32 ?ip4:198.51.100.7 -all"}};
    CHECK(check(zone, "192.0.2.9").result == SpfResult::Pass);
    CHECK(check(zone, "2001:db8::5").result == SpfResult::SoftFail);
    CHECK(check(zone, "198.51.100.7").result == SpfResult::Neutral);
    const auto out = check(zone, "203.0.113.1");
    CHECK(out.result == SpfResult::Fail);
    CHECK(out.domain == "example.com");
    CHECK(out.sender == "alice@example.com");
}

TEST_CASE("Libspf2Checker: zone data reaches libspf2", "[spf][differential]") {
    const std::vector<ZoneRecord> zone = {
        {"example.com", RrType::TXT, "v=spf1 mx/24 a:h.example.net -all"},
        {"example.com", RrType::MX, "10 mx.example.net"},
        {"mx.example.net", RrType::A, "192.0.2.10"},
        {"h.example.net", RrType::AAAA, "2001:db8::10"}};
    CHECK(check(zone, "192.0.2.200").result == SpfResult::Pass);      // mx/24
    CHECK(check(zone, "2001:db8::10").result == SpfResult::Pass);     // a, AAAA
    CHECK(check(zone, "2001:db8::11").result == SpfResult::Fail);
    CHECK(check(zone, "198.51.100.1").result == SpfResult::Fail);
}

TEST_CASE("Libspf2Checker: none, permerror, HELO identity", "[spf][differential]") {
    const std::vector<ZoneRecord> zone = {
        {"example.com", RrType::TXT, "v=spf1 ip4:192.0.2.300 -all"},
        {"plain.example.com", RrType::TXT, "not spf"},
        {"helo.example.com", RrType::TXT, "v=spf1 ip4:192.0.2.1 -all"}};
    CHECK(check(zone, "192.0.2.1").result == SpfResult::PermError);
    CHECK(check(zone, "192.0.2.1", "bob@plain.example.com").result == SpfResult::None);
    CHECK(check(zone, "192.0.2.1", "bob@nowhere.example.com").result == SpfResult::None);
    const auto helo = check(zone, "192.0.2.1", "", mw::spf::Identity::Helo);
    CHECK(helo.result == SpfResult::Pass);
    CHECK(helo.sender == "postmaster@helo.example.com");
    CHECK(check(zone, "192.0.2.1", "").result == SpfResult::Pass);   // null sender: HELO's record
}

TEST_CASE("Libspf2Checker: records libspf2 cannot load are refused", "[spf][differential]") {
    CHECK_FALSE(Libspf2Checker::create({{"example.com", RrType::A, "not an address"}}));
    CHECK_FALSE(Libspf2Checker::create({{"example.com", RrType::SOA, "x"}}));
}
