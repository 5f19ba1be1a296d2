#include <catch2/catch.hpp>

#include <string>

#include "common/base/limits.hpp"
#include "common/spf/spf_record.hpp"

using mw::spf::is_spf_record;
using mw::spf::MechanismKind;
using mw::spf::parse_spf_record;
using mw::spf::SpfResult;

TEST_CASE("is_spf_record: version tag then space or end, any case", "[spf]") {
    CHECK(is_spf_record("v=spf1"));
    CHECK(is_spf_record("v=spf1 -all"));
    CHECK(is_spf_record("V=SPF1 -all"));
    CHECK_FALSE(is_spf_record("v=spf10 -all"));
    CHECK_FALSE(is_spf_record("v=spf1-all"));
    CHECK_FALSE(is_spf_record(" v=spf1 -all"));
    CHECK_FALSE(is_spf_record("spf2.0/pra -all"));
    CHECK_FALSE(is_spf_record(""));
}

TEST_CASE("parse_spf_record: mechanisms, qualifiers and arguments", "[spf]") {
    auto r = parse_spf_record(
        "v=spf1 +a -mx:example.org/24//64 ~ptr ?ip4:192.0.2.0/24 ip6:2001:db8::/32 "
        "include:_spf.example.com exists:%{i}.bl.example.com Ip4:192.0.2.9 -ALL");
    REQUIRE(r);
    const auto& m = r->mechanisms;
    REQUIRE(m.size() == 9);
    CHECK(m[0].kind == MechanismKind::A);
    CHECK(m[0].qualifier == SpfResult::Pass);
    CHECK(m[0].domain_spec.empty());
    CHECK(m[1].kind == MechanismKind::Mx);
    CHECK(m[1].qualifier == SpfResult::Fail);
    CHECK(m[1].domain_spec == "example.org");
    CHECK(m[1].cidr4 == 24);
    CHECK(m[1].cidr6 == 64);
    CHECK(m[2].qualifier == SpfResult::SoftFail);
    CHECK(m[3].qualifier == SpfResult::Neutral);
    CHECK(m[3].network.to_string() == "192.0.2.0");
    CHECK(m[3].cidr4 == 24);
    CHECK(m[4].kind == MechanismKind::Ip6);
    CHECK(m[4].cidr6 == 32);
    CHECK(m[5].kind == MechanismKind::Include);
    CHECK(m[6].domain_spec == "%{i}.bl.example.com");
    CHECK(m[7].cidr4 == 32);
    CHECK(m[8].kind == MechanismKind::All);
    CHECK(m[8].text == "-ALL");
    CHECK(m[1].queries_dns());
    CHECK_FALSE(m[3].queries_dns());
}

TEST_CASE("parse_spf_record: dual-cidr-length forms", "[spf]") {
    auto r = parse_spf_record("v=spf1 a/24 a//64 a/0 mx:foo.example.com//0");
    REQUIRE(r);
    CHECK(r->mechanisms[0].cidr4 == 24);
    CHECK(r->mechanisms[0].cidr6 == 128);
    CHECK(r->mechanisms[1].cidr4 == 32);
    CHECK(r->mechanisms[1].cidr6 == 64);
    CHECK(r->mechanisms[2].cidr4 == 0);
    CHECK(r->mechanisms[3].cidr6 == 0);
    CHECK(r->mechanisms[3].domain_spec == "foo.example.com");
}

TEST_CASE("parse_spf_record: modifiers", "[spf]") {
    auto r = parse_spf_record("v=spf1 -all Redirect=_spf.example.com exp=why.%{d} moo.cow-2=%{l} x=");
    REQUIRE(r);
    REQUIRE(r->redirect);
    CHECK(*r->redirect == "_spf.example.com");
    REQUIRE(r->exp);
    CHECK(*r->exp == "why.%{d}");
    CHECK(r->mechanisms.size() == 1);
}

TEST_CASE("parse_spf_record: empty record and extra spaces", "[spf]") {
    auto r = parse_spf_record("v=spf1");
    REQUIRE(r);
    CHECK(r->mechanisms.empty());
    auto spaced = parse_spf_record("v=spf1   -all   ");
    REQUIRE(spaced);
    CHECK(spaced->mechanisms.size() == 1);
}

TEST_CASE("parse_spf_record: syntax errors are errors with the bad term named", "[spf]") {
    const char* bad[] = {
        "v=spf1 foo",                     // unknown mechanism
        "v=spf1 -all/8",                  // all takes nothing
        "v=spf1 ptr/0",                   // ptr takes no cidr
        "v=spf1 a:",                      // empty domain
        "v=spf1 include",                 // include needs a domain
        "v=spf1 exists:mail.example.com/24",
        "v=spf1 ip4:1.2.3.4/33",
        "v=spf1 ip4:1.2.3.4/032",         // leading zero
        "v=spf1 ip4:1.2.3.4//32",
        "v=spf1 ip4:2001:db8::1",
        "v=spf1 ip6:1.2.3.4",
        "v=spf1 ip6:::1/129",
        "v=spf1 a//129",
        "v=spf1 a/24/64",
        "v=spf1 a:foo-bar",               // no top label
        "v=spf1 a:example.123",           // numeric top label
        "v=spf1 a:example.-com",
        "v=spf1 a:%{x}.example.com",      // unknown macro letter
        "v=spf1 a:%{c}.example.com",      // c only in exp text
        "v=spf1 a:%{d0}.example.com",     // zero transformer
        "v=spf1 a:%{d}%.example.com",     // lone percent
        "v=spf1 redirect=a.example.com redirect=b.example.com",
        "v=spf1 exp=a.example.com exp=b.example.com",
        "v=spf1 redirect=",
        "v=spf1 9x=y",                    // modifier name must start with a letter
        "v=spf1 -all \xc3\xa9",           // non-ASCII
        "v=spf1 -all\t",
        "v=spf1 mx:%{l",                  // unterminated macro
    };
    for (const char* text : bad) {
        INFO(text);
        auto r = parse_spf_record(text);
        REQUIRE_FALSE(r);
        CHECK(r.error().message.find("invalid term") != std::string::npos);
    }
}

TEST_CASE("parse_spf_record: record length at and past kMaxSpfRecord", "[spf][limits]") {
    std::string at = "v=spf1";
    while (at.size() + 7 <= mw::limits::kMaxSpfRecord) at += " ?all  ";
    at.resize(mw::limits::kMaxSpfRecord, ' ');
    CHECK(parse_spf_record(at));
    auto past = parse_spf_record(at + " ");
    REQUIRE_FALSE(past);
    CHECK(past.error().code == mw::ErrorCode::TooLong);
}
