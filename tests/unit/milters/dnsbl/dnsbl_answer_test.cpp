// Answer classification: listings, non-listings, and the error codes that must never list.
#include "milters/dnsbl/dnsbl_answer.hpp"

#include <catch2/catch.hpp>

using namespace mw::dnsbl;
using mw::dns::Answer;
using mw::dns::Rcode;
using mw::net::IpAddress;

namespace {

Answer a_answer(std::initializer_list<const char*> ips) {
    Answer a;
    a.rcode = Rcode::NoError;
    for (auto ip : ips) a.addresses.push_back(*IpAddress::parse(ip));
    return a;
}

}  // namespace

TEST_CASE("dnsbl_answer: any 127/8 code lists when there is no filter", "[dnsbl]") {
    auto c = classify_answer(a_answer({"127.0.0.2", "127.0.0.4"}), nullptr);
    CHECK(c.status == DnsblStatus::Listed);
    CHECK(c.codes.size() == 2);
}

TEST_CASE("dnsbl_answer: the filter picks the codes that list", "[dnsbl]") {
    auto f = *ReplyFilter::parse("127.0.0.[2..3]");
    auto c = classify_answer(a_answer({"127.0.0.4", "127.0.0.3"}), &f);
    CHECK(c.status == DnsblStatus::Listed);
    REQUIRE(c.codes.size() == 1);
    CHECK(c.codes[0].to_string() == "127.0.0.3");
    CHECK(classify_answer(a_answer({"127.0.0.10"}), &f).status == DnsblStatus::NotListed);
}

TEST_CASE("dnsbl_answer: NXDOMAIN and NODATA are not listed", "[dnsbl]") {
    Answer nx;
    nx.rcode = Rcode::NxDomain;
    CHECK(classify_answer(nx, nullptr).status == DnsblStatus::NotListed);
    CHECK(classify_answer(a_answer({}), nullptr).status == DnsblStatus::NotListed);
}

TEST_CASE("dnsbl_answer: DNS failures fail", "[dnsbl]") {
    for (auto rc : {Rcode::ServFail, Rcode::Timeout, Rcode::Refused, Rcode::Error}) {
        Answer a;
        a.rcode = rc;
        a.why = "because";
        auto c = classify_answer(a, nullptr);
        CHECK(c.status == DnsblStatus::Failed);
        CHECK(c.why.find("because") != std::string::npos);
    }
}

TEST_CASE("dnsbl_answer: error codes are errors, never listings, even with a matching filter",
          "[dnsbl]") {
    auto all = *ReplyFilter::parse("[0..255].[0..255].[0..255].[0..255]");
    for (const char* code : {"127.255.255.252", "127.255.255.254", "127.255.255.255", "127.0.0.255",
                             "192.0.2.1", "10.0.0.2", "::1", "2001:db8::2"}) {
        INFO(code);
        CHECK(classify_answer(a_answer({code}), nullptr).status == DnsblStatus::Failed);
        CHECK(classify_answer(a_answer({code}), &all).status == DnsblStatus::Failed);
        CHECK(error_code_reason(*IpAddress::parse(code)));
    }
    // One error code spoils the whole answer.
    CHECK(classify_answer(a_answer({"127.0.0.2", "203.0.113.7"}), nullptr).status ==
          DnsblStatus::Failed);
}

TEST_CASE("dnsbl_answer: ordinary list codes are not errors", "[dnsbl]") {
    for (const char* code :
         {"127.0.0.2", "127.0.0.11", "127.0.10.2", "127.0.1.255", "127.255.0.1", "127.0.0.1"}) {
        INFO(code);
        CHECK_FALSE(error_code_reason(*IpAddress::parse(code)));
    }
    auto why = error_code_reason(*IpAddress::parse("203.0.113.7"));
    REQUIRE(why);
    CHECK(why->find("127.0.0.0/8") != std::string::npos);
}
