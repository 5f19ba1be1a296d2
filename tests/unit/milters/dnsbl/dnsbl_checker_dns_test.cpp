// DnsblChecker over the real resolver: a real unbound on 127.0.0.1 (LoopbackDnsServer) serving
// list zones, and a server that never answers (SilentDnsServer) for the timeout. Loopback only.
#include <catch2/catch.hpp>
#include <chrono>

#include "common/dns/unbound_resolver.hpp"
#include "milters/dnsbl/dnsbl_checker.hpp"
#include "milters/dnsbl/reply_template.hpp"
#include "tests/support/loopback_dns_server.hpp"
#include "tests/support/silent_dns_server.hpp"

using namespace mw::dnsbl;
using namespace std::chrono_literals;
using mw::dns::UnboundResolver;
using mw::test::LoopbackDnsServer;
using mw::test::SilentDnsServer;

namespace {

std::unique_ptr<UnboundResolver> resolver_for(const std::string& server,
                                              std::chrono::milliseconds timeout) {
    auto r = UnboundResolver::create({{server}, timeout});
    if (!r) FAIL(r.error().message);
    return std::move(*r);
}

std::vector<DnsblSite> sites(const char* value) {
    auto s = parse_dnsbl_sites(value, DnsblTarget::ClientAddress, "");
    if (!s) FAIL(s.error().message);
    return *s;
}

}  // namespace

TEST_CASE("DnsblChecker: real unbound on loopback, listing, TXT reason, reply text", "[dnsbl]") {
    LoopbackDnsServer server;
    server.add_zone("zen.example.");
    server.add_record("2.0.0.127.zen.example. 300 IN A 127.0.0.2");
    server.add_record("2.0.0.127.zen.example. 300 IN A 127.0.0.4");
    server.add_txt("2.0.0.127.zen.example.", {"listed, see https://zen.example/"});
    server.add_zone("wl.example.");
    server.add_record("2.0.0.127.wl.example. 300 IN A 127.0.10.2");
    server.add_zone("bad.example.");
    server.add_record("2.0.0.127.bad.example. 300 IN A 127.255.255.254");
    server.start();
    auto resolver = resolver_for(server.address(), 5s);
    mw::dns::AnswerCache cache({60s, 3600s, 100});
    DnsblChecker checker(
        sites("zen.example=127.0.0.[2..11]*3 wl.example*-1 bad.example nx.zen.example"), *resolver,
        &cache, {5s, 10s, true});
    DnsblSubject subject;
    subject.client_address = mw::net::IpAddress::parse("127.0.0.2");
    auto r = checker.check(subject);
    REQUIRE(r.sites.size() == 4);
    CHECK(r.sites[0].status == DnsblStatus::Listed);
    CHECK(r.sites[0].codes.size() == 2);
    CHECK(r.sites[0].reason == "listed, see https://zen.example/");
    CHECK(r.sites[1].status == DnsblStatus::Listed);
    CHECK(r.sites[2].status == DnsblStatus::Failed);
    CHECK(r.sites[3].status == DnsblStatus::NotListed);
    CHECK(r.score == 2);
    ReplyVariables vars;
    vars.set_listing(*r.strongest_listing());
    CHECK(ReplyTemplate::parse(kDefaultRblReply)->expand(vars) ==
          "554 Service unavailable; Client host [127.0.0.2] blocked using zen.example; "
          "listed, see https://zen.example/");
    CHECK(cache.size() >= 3);  // A answers (incl. NXDOMAIN) and the TXT
}

TEST_CASE("DnsblChecker: a silent server times out within the per-query timeout", "[dnsbl]") {
    SilentDnsServer silent;
    auto resolver = resolver_for(silent.address(), 5s);
    DnsblChecker checker(sites("zen.example spamcop.example"), *resolver, nullptr,
                         {300ms, 2s, true});
    DnsblSubject subject;
    subject.client_address = mw::net::IpAddress::parse("192.0.2.1");
    const auto start = std::chrono::steady_clock::now();
    auto r = checker.check(subject);
    const auto took = std::chrono::steady_clock::now() - start;
    CHECK(took >= 250ms);
    CHECK(took < 2s);
    CHECK(r.all_failed());
    CHECK(r.sites[0].why.find("TIMEOUT") != std::string::npos);
    CHECK(silent.queries() >= 1);
}
