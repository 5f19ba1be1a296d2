// DnsblChecker against FakeResolver: parallel queries, scoring, TXT reasons, failures, error
// codes, RHSBL targets, cache use, and that no DQS key leaks into outcomes or logs.
#include "milters/dnsbl/dnsbl_checker.hpp"

#include <catch2/catch.hpp>
#include <mutex>

#include "common/log/logger.hpp"
#include "milters/dnsbl/score_header.hpp"
#include "tests/support/fake_resolver.hpp"
#include "tests/support/log_capture.hpp"

using namespace mw::dnsbl;
using namespace std::chrono_literals;
using mw::dns::Rcode;
using mw::dns::RrType;
using mw::test::FakeResolver;

namespace {


std::vector<DnsblSite> sites(const char* value, DnsblTarget target = DnsblTarget::ClientAddress,
                             const char* key = "") {
    auto s = parse_dnsbl_sites(value, target, key);
    if (!s) FAIL(s.error().message);
    return *s;
}

DnsblSubject client(const char* ip) {
    DnsblSubject s;
    s.client_address = mw::net::IpAddress::parse(ip);
    return s;
}

const SiteOutcome& outcome(const DnsblResult& r, std::size_t i) {
    REQUIRE(i < r.sites.size());
    return r.sites[i];
}

}  // namespace

TEST_CASE("DnsblChecker: weighted listings, filters and allow lists", "[dnsbl]") {
    FakeResolver dns;
    dns.add_a("1.2.0.192.zen.example", "127.0.0.4");
    dns.add_txt("1.2.0.192.zen.example", "https://zen.example/query/192.0.2.1");
    dns.add_a("1.2.0.192.spamcop.example", "127.0.0.2");
    dns.add_a("1.2.0.192.dnswl.example", "127.0.10.2");
    DnsblChecker checker(sites("zen.example=127.0.0.[2..11]*3 spamcop.example=127.0.0.[3..4]*2 "
                               "dnswl.example=127.0.[0..255].[1..3]*-2 nx.example"),
                         dns, nullptr, {});
    auto r = checker.check(client("192.0.2.1"));
    CHECK(outcome(r, 0).status == DnsblStatus::Listed);
    CHECK(outcome(r, 0).what == "192.0.2.1");
    CHECK(outcome(r, 0).reason == "https://zen.example/query/192.0.2.1");
    CHECK(outcome(r, 1).status == DnsblStatus::NotListed);  // 127.0.0.2 outside the filter
    CHECK(outcome(r, 2).status == DnsblStatus::Listed);
    CHECK(outcome(r, 3).status == DnsblStatus::NotListed);  // NXDOMAIN
    CHECK(r.score == 1);
    CHECK(r.allowlist_score == -2);
    CHECK(r.verdict({1, 0}) == DnsblVerdict::Blocked);
    CHECK(render_score_header(r) ==
          "score=1; zen.example=127.0.0.4*3; dnswl.example=127.0.10.2*-2");
}

TEST_CASE("DnsblChecker: a zone listed twice is asked once and counts twice", "[dnsbl]") {
    FakeResolver dns;
    dns.add_a("2.0.0.127.zen.example", "127.0.0.2");
    dns.add_a("2.0.0.127.zen.example", "127.0.0.4");
    DnsblChecker checker(sites("zen.example*2 zen.example=127.0.0.4*3 zen.example=127.0.0.9"), dns,
                         nullptr, {1s, 2s, false});
    auto r = checker.check(client("127.0.0.2"));
    CHECK(dns.queries() == 1);
    CHECK(r.score == 5);  // two codes matched the first entry: its weight counts once
    CHECK(outcome(r, 0).codes.size() == 2);
    CHECK(outcome(r, 2).status == DnsblStatus::NotListed);
}

TEST_CASE("DnsblChecker: IPv6 clients are asked by nibbles", "[dnsbl]") {
    FakeResolver dns;
    dns.add_a("1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.v6.example",
              "127.0.0.2");
    DnsblChecker checker(sites("v6.example"), dns, nullptr, {});
    auto r = checker.check(client("2001:db8::1"));
    CHECK(outcome(r, 0).status == DnsblStatus::Listed);
    CHECK(outcome(r, 0).what == "2001:db8::1");
}

TEST_CASE("DnsblChecker: failures and error codes count as not listed and are logged", "[dnsbl]") {
    mw::test::LogCapture capture_log(mw::log::Level::Info);
    auto* capture = &capture_log;
    FakeResolver dns;
    dns.set_failure("1.2.0.192.down.example", RrType::A, Rcode::ServFail);
    dns.add_a("1.2.0.192.hijacked.example", "203.0.113.9");
    dns.add_a("1.2.0.192.refused.example", "127.255.255.254");
    dns.add_a("1.2.0.192.quota.example", "127.0.0.255");
    DnsblChecker checker(sites("down.example hijacked.example refused.example quota.example"), dns,
                         nullptr, {});
    auto r = checker.check(client("192.0.2.1"));
    for (std::size_t i = 0; i < 4; ++i) CHECK(outcome(r, i).status == DnsblStatus::Failed);
    CHECK(r.score == 0);
    CHECK(r.all_failed());
    CHECK(r.verdict({}) == DnsblVerdict::Pass);
    CHECK(outcome(r, 0).why.find("SERVFAIL") != std::string::npos);
    CHECK(outcome(r, 1).why.find("127.0.0.0/8") != std::string::npos);
    const auto log = capture->text();
    CHECK(log.find("hijacked.example") != std::string::npos);
    CHECK(log.find("127.255.255.254") != std::string::npos);
}

TEST_CASE("DnsblChecker: one failing list among working ones is not all_failed", "[dnsbl]") {
    FakeResolver dns;
    dns.set_failure("1.2.0.192.down.example", RrType::A, Rcode::Timeout);
    DnsblChecker checker(sites("down.example up.example"), dns, nullptr, {});
    auto r = checker.check(client("192.0.2.1"));
    CHECK(outcome(r, 0).status == DnsblStatus::Failed);
    CHECK(outcome(r, 1).status == DnsblStatus::NotListed);
    CHECK_FALSE(r.all_failed());
    CHECK(r.failed_count() == 1);
}

TEST_CASE("DnsblChecker: RHSBL targets ask the right names", "[dnsbl]") {
    FakeResolver dns;
    dns.add_a("sender.example.dbl.example", "127.0.1.2");
    dns.add_a("helo.example.dbl.example", "127.0.1.2");
    dns.add_a("ptr.example.dbl.example", "127.0.1.2");
    dns.add_a("from.example.dbl.example", "127.0.1.2");
    std::vector<DnsblSite> all;
    for (auto t : {DnsblTarget::SenderDomain, DnsblTarget::HeloName, DnsblTarget::ClientName,
                   DnsblTarget::FromDomain})
        for (auto& s : sites("dbl.example", t)) all.push_back(s);
    DnsblChecker checker(all, dns, nullptr, {});
    DnsblSubject subject;
    subject.sender = "user@Sender.Example";
    subject.helo_name = "helo.example";
    subject.client_name = "ptr.example";
    subject.from_address = "someone@from.example";
    auto r = checker.check(subject);
    for (std::size_t i = 0; i < 4; ++i) CHECK(outcome(r, i).status == DnsblStatus::Listed);
    CHECK(outcome(r, 0).what == "user@Sender.Example");
    CHECK(r.score == 4);
}

TEST_CASE("DnsblChecker: nothing to ask is skipped, not failed", "[dnsbl]") {
    FakeResolver dns;
    std::vector<DnsblSite> all = sites("zen.example");
    for (auto& s : sites("dbl.example", DnsblTarget::SenderDomain)) all.push_back(s);
    for (auto& s : sites("dbl.example", DnsblTarget::ClientName)) all.push_back(s);
    for (auto& s : sites("dbl.example", DnsblTarget::HeloName)) all.push_back(s);
    DnsblChecker checker(all, dns, nullptr, {});
    DnsblSubject subject;
    subject.client_name = "unknown";
    subject.helo_name = "[192.0.2.1]";
    auto r = checker.check(subject);
    for (std::size_t i = 0; i < 4; ++i) CHECK(outcome(r, i).status == DnsblStatus::Skipped);
    CHECK(dns.queries() == 0);
    CHECK_FALSE(r.all_failed());
}

TEST_CASE("DnsblChecker: answers come from the cache the second time", "[dnsbl]") {
    FakeResolver dns;
    dns.add_a("1.2.0.192.zen.example", "127.0.0.2", 300);
    dns.add_txt("1.2.0.192.zen.example", "listed", 300);
    mw::dns::AnswerCache cache({60s, 3600s, 100});
    DnsblChecker checker(sites("zen.example nx.example"), dns, &cache, {});
    auto first = checker.check(client("192.0.2.1"));
    const int asked = dns.queries();
    CHECK(asked == 3);  // two A, one TXT
    auto second = checker.check(client("192.0.2.1"));
    CHECK(dns.queries() == asked);
    CHECK(second.score == first.score);
    CHECK(outcome(second, 0).reason == "listed");
    CHECK(outcome(second, 1).status == DnsblStatus::NotListed);
}

TEST_CASE("DnsblChecker: failures are not cached", "[dnsbl]") {
    FakeResolver dns;
    dns.set_failure("1.2.0.192.down.example", RrType::A, Rcode::ServFail);
    mw::dns::AnswerCache cache({60s, 3600s, 100});
    DnsblChecker checker(sites("down.example"), dns, &cache, {});
    checker.check(client("192.0.2.1"));
    checker.check(client("192.0.2.1"));
    CHECK(dns.queries() == 2);
}

TEST_CASE("DnsblChecker: the DQS key never appears in outcomes, headers or logs", "[dnsbl]") {
    mw::test::LogCapture capture_log(mw::log::Level::Debug);
    auto* capture = &capture_log;
    FakeResolver dns;
    dns.add_a("1.2.0.192.sekrit42.zen.dq.example", "127.0.0.2");
    dns.add_txt("1.2.0.192.sekrit42.zen.dq.example", "see 1.2.0.192.sekrit42.zen.dq.example");
    dns.set_failure("1.2.0.192.sekrit42.dbl.dq.example", RrType::A, Rcode::Refused);
    DnsblChecker checker(sites("$dqs_key.zen.dq.example*2 $dqs_key.dbl.dq.example",
                               DnsblTarget::ClientAddress, "sekrit42"),
                         dns, nullptr, {});
    auto r = checker.check(client("192.0.2.1"));
    CHECK(outcome(r, 0).status == DnsblStatus::Listed);
    CHECK(outcome(r, 0).reason == "see 1.2.0.192.$dqs_key.zen.dq.example");
    CHECK(outcome(r, 1).status == DnsblStatus::Failed);
    std::string all = render_score_header(r) + capture->text();
    for (const auto& o : r.sites)
        all += o.site.display_zone + o.site.to_string() + o.reason + o.why;
    CHECK(all.find("sekrit42") == std::string::npos);
    CHECK(all.find("$dqs_key.zen.dq.example") != std::string::npos);
}
