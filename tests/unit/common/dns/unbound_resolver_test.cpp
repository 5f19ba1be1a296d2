// UnboundResolver against a real unbound on 127.0.0.1 (LoopbackDnsServer) and a server that
// never answers (SilentDnsServer). Nothing here reaches the machine's resolver or the network.
#include "common/dns/unbound_resolver.hpp"

#include <algorithm>
#include <atomic>
#include <catch2/catch.hpp>
#include <chrono>
#include <future>
#include <mutex>
#include <string>
#include <vector>

#include "common/base/limits.hpp"
#include "tests/support/loopback_dns_server.hpp"
#include "tests/support/silent_dns_server.hpp"

using namespace mw::dns;
using namespace std::chrono_literals;
using mw::Deadline;
using mw::test::LoopbackDnsServer;
using mw::test::SilentDnsServer;

namespace {

constexpr int kParallel = 100;

std::vector<std::string> big_txt_strings() {
    std::vector<std::string> strings;
    for (char c = 'a'; c < 'a' + 8; ++c) strings.emplace_back(250, c);  // 2000 bytes > 1232 (EDNS)
    return strings;
}

void fill_zones(LoopbackDnsServer& dns) {
    dns.add_zone("test.");
    dns.add_record("host.test. 300 IN A 192.0.2.1");
    dns.add_record("host.test. 300 IN A 192.0.2.2");
    dns.add_record("host.test. 300 IN AAAA 2001:db8::1");
    dns.add_record("mail.test. 300 IN MX 20 MX2.Test.");
    dns.add_record("mail.test. 300 IN MX 10 mx1.test.");
    dns.add_txt("txt.test.", {"v=spf1 ", "ip4:192.0.2.0/24", " -all"});
    dns.add_txt("big.test.", big_txt_strings());
    for (int i = 0; i < kParallel; ++i)
        dns.add_record("n" + std::to_string(i) + ".test. 300 IN A 198.51.100." + std::to_string(i));
    dns.add_zone("2.0.192.in-addr.arpa.");
    dns.add_record("1.2.0.192.in-addr.arpa. 300 IN PTR Host.Test.");
    dns.add_zone("127.in-addr.arpa.");  // libunbound would answer this zone itself by default
    dns.add_record("2.0.0.127.in-addr.arpa. 300 IN PTR listed.test.");
    dns.add_zone("invalid.");
    dns.add_record("x.invalid. 300 IN A 192.0.2.9");
    dns.add_zone("zen.example.");
    dns.add_record("2.0.0.127.zen.example. 300 IN A 127.0.0.2");
    dns.add_txt("2.0.0.127.zen.example.", {"listed, see https://zen.example/"});
}

LoopbackDnsServer& zone_server() {
    static LoopbackDnsServer server;
    static bool started = [] {
        fill_zones(server);
        server.start();
        return true;
    }();
    (void)started;
    return server;
}

std::unique_ptr<UnboundResolver> resolver_for(const std::string& server,
                                              std::chrono::milliseconds timeout = 5s) {
    auto r = UnboundResolver::create({{server}, timeout});
    if (!r) FAIL(r.error().message);
    return std::move(*r);
}

Answer ask(Resolver& r, const std::string& name, RrType type) {
    return r.query(name, type, Deadline::after(10s));
}

std::vector<std::string> addresses(const Answer& a) {
    std::vector<std::string> out;
    for (const auto& ip : a.addresses) out.push_back(ip.to_string());
    std::sort(out.begin(), out.end());
    return out;
}

}  // namespace

TEST_CASE("UnboundResolver: A and AAAA", "[dns]") {
    auto r = resolver_for(zone_server().address());
    auto a = ask(*r, "host.test", RrType::A);
    INFO(a.why);
    REQUIRE(a.rcode == Rcode::NoError);
    CHECK(addresses(a) == std::vector<std::string>{"192.0.2.1", "192.0.2.2"});
    CHECK(a.ttl > 0);
    CHECK(a.ttl <= 300);
    auto v6 = ask(*r, "HOST.Test.", RrType::AAAA);
    REQUIRE(v6.rcode == Rcode::NoError);
    CHECK(addresses(v6) == std::vector<std::string>{"2001:db8::1"});
}

TEST_CASE("UnboundResolver: MX, PTR and TXT", "[dns]") {
    auto r = resolver_for(zone_server().address());
    auto mx = ask(*r, "mail.test", RrType::MX);
    REQUIRE(mx.rcode == Rcode::NoError);
    REQUIRE(mx.mx.size() == 2);
    std::sort(mx.mx.begin(), mx.mx.end(),
              [](auto& x, auto& y) { return x.preference < y.preference; });
    CHECK(mx.mx[0].preference == 10);
    CHECK(mx.mx[0].exchange == "mx1.test");
    CHECK(mx.mx[1].exchange == "mx2.test");  // lower-cased
    auto ptr = ask(*r, "1.2.0.192.in-addr.arpa", RrType::PTR);
    REQUIRE(ptr.rcode == Rcode::NoError);
    CHECK(ptr.names == std::vector<std::string>{"host.test"});
    auto txt = ask(*r, "txt.test", RrType::TXT);
    REQUIRE(txt.rcode == Rcode::NoError);
    CHECK(txt.texts == std::vector<std::string>{"v=spf1 ip4:192.0.2.0/24 -all"});
}

TEST_CASE("UnboundResolver: NXDOMAIN and NODATA differ, both with a negative TTL", "[dns]") {
    auto r = resolver_for(zone_server().address());
    auto nx = ask(*r, "missing.test", RrType::A);
    CHECK(nx.rcode == Rcode::NxDomain);
    CHECK(nx.is_void());
    CHECK(nx.ttl > 0);
    CHECK(nx.ttl <= 60);  // the SOA minimum of the loopback zone
    auto nodata = ask(*r, "host.test", RrType::TXT);
    CHECK(nodata.rcode == Rcode::NoError);
    CHECK(nodata.size() == 0);
    CHECK(nodata.is_void());
}

TEST_CASE("UnboundResolver: names libunbound would answer itself go to the server", "[dns]") {
    auto r = resolver_for(zone_server().address());
    auto dnsbl = ask(*r, "2.0.0.127.zen.example", RrType::A);
    REQUIRE(dnsbl.rcode == Rcode::NoError);
    CHECK(addresses(dnsbl) == std::vector<std::string>{"127.0.0.2"});
    auto dnsbl_txt = ask(*r, "2.0.0.127.zen.example", RrType::TXT);
    CHECK(dnsbl_txt.texts == std::vector<std::string>{"listed, see https://zen.example/"});
    auto loop_ptr = ask(*r, "2.0.0.127.in-addr.arpa", RrType::PTR);
    REQUIRE(loop_ptr.rcode == Rcode::NoError);
    CHECK(loop_ptr.names == std::vector<std::string>{"listed.test"});
    auto invalid = ask(*r, "x.invalid", RrType::A);
    REQUIRE(invalid.rcode == Rcode::NoError);
    CHECK(addresses(invalid) == std::vector<std::string>{"192.0.2.9"});
}

TEST_CASE("UnboundResolver: a name outside the loopback zones is not resolved", "[dns]") {
    auto r = resolver_for(zone_server().address());
    auto a = ask(*r, "www.example.com", RrType::A);
    CHECK_FALSE(a.ok());
    CHECK(a.rcode != Rcode::Timeout);
}

TEST_CASE("UnboundResolver: a TXT record too big for UDP comes over TCP", "[dns]") {
    auto r = resolver_for(zone_server().address());
    auto a = ask(*r, "big.test", RrType::TXT);
    INFO(a.why);
    REQUIRE(a.rcode == Rcode::NoError);
    std::string joined;
    for (const auto& s : big_txt_strings()) joined += s;
    REQUIRE(a.texts.size() == 1);
    CHECK(a.texts[0].size() == 2000);
    CHECK(a.texts[0] == joined);
}

TEST_CASE("UnboundResolver: 100 parallel queries, answers in order", "[dns]") {
    auto r = resolver_for(zone_server().address());
    std::vector<Question> qs;
    for (int i = 0; i < kParallel; ++i)
        qs.push_back({"n" + std::to_string(i) + ".test", RrType::A});
    auto answers = r->query_many(qs, Deadline::after(20s));
    REQUIRE(answers.size() == qs.size());
    for (int i = 0; i < kParallel; ++i) {
        INFO(i << " " << answers[i].why);
        REQUIRE(answers[i].rcode == Rcode::NoError);
        CHECK(addresses(answers[i]) == std::vector<std::string>{"198.51.100." + std::to_string(i)});
    }
}

TEST_CASE("UnboundResolver: each callback runs exactly once", "[dns]") {
    // Declared before the resolver, which may still call back while it is destroyed.
    std::mutex mu;
    std::vector<int> calls(20, 0);
    std::promise<void> all;
    int left = 20;
    auto r = resolver_for(zone_server().address());
    for (int i = 0; i < 20; ++i) {
        std::string name = i % 2 ? "host.test" : "missing" + std::to_string(i) + ".test";
        r->submit({name, RrType::A}, Deadline::after(10s), [&, i](Answer) {
            std::lock_guard lock(mu);
            if (++calls[i] == 1 && --left == 0) all.set_value();
        });
    }
    REQUIRE(all.get_future().wait_for(15s) == std::future_status::ready);
    r.reset();  // nothing may come after destruction either
    for (int c : calls) CHECK(c == 1);
}

TEST_CASE("UnboundResolver: the same name twice (the second from the cache)", "[dns]") {
    auto r = resolver_for(zone_server().address());
    for (int round = 0; round < 2; ++round) {
        auto a = ask(*r, "host.test", RrType::A);
        REQUIRE(a.rcode == Rcode::NoError);
        CHECK(addresses(a) == std::vector<std::string>{"192.0.2.1", "192.0.2.2"});
        auto nx = ask(*r, "missing.test", RrType::A);
        CHECK(nx.rcode == Rcode::NxDomain);
    }
}

TEST_CASE("UnboundResolver: a silent server times out at the caller's deadline", "[dns]") {
    SilentDnsServer silent;
    auto r = resolver_for(silent.address(), 30s);
    auto start = mw::Clock::now();
    auto a = r->query("slow.test", RrType::A, Deadline::after(1s));
    auto took = mw::Clock::now() - start;
    CHECK(a.rcode == Rcode::Timeout);
    CHECK(took >= 900ms);
    CHECK(took < 6s);
    CHECK(silent.queries() > 0);
}

TEST_CASE("UnboundResolver: dns_timeout bounds a query without a deadline", "[dns]") {
    SilentDnsServer silent;
    std::promise<Answer> got;
    auto r = resolver_for(silent.address(), 700ms);
    auto start = mw::Clock::now();
    r->submit({"slow.test", RrType::TXT}, Deadline::never(),
              [&](Answer a) { got.set_value(std::move(a)); });
    auto future = got.get_future();
    REQUIRE(future.wait_for(10s) == std::future_status::ready);
    auto took = mw::Clock::now() - start;
    auto a = future.get();
    CHECK(a.rcode == Rcode::Timeout);
    CHECK(took >= 600ms);
}

TEST_CASE("UnboundResolver: destruction answers the queries in flight with Error", "[dns]") {
    SilentDnsServer silent;
    std::atomic<int> calls{0}, errors{0};
    auto r = resolver_for(silent.address(), 30s);
    for (int i = 0; i < 10; ++i)
        r->submit({"q" + std::to_string(i) + ".test", RrType::A}, Deadline::after(30s),
                  [&](Answer a) {
                      ++calls;
                      if (a.rcode == Rcode::Error) ++errors;
                  });
    std::this_thread::sleep_for(100ms);
    r.reset();
    CHECK(calls == 10);
    CHECK(errors == 10);
}

TEST_CASE("UnboundResolver: over kMaxDnsInFlight the answer is Error at once", "[dns]") {
    SilentDnsServer silent;
    std::atomic<int> errors{0};
    auto r = resolver_for(silent.address(), 30s);
    for (std::size_t i = 0; i < mw::limits::kMaxDnsInFlight; ++i)
        r->submit({"q" + std::to_string(i) + ".test", RrType::A}, Deadline::after(30s),
                  [&](Answer a) {
                      if (a.rcode == Rcode::Error) ++errors;
                  });
    auto over = r->query("one-more.test", RrType::A, Deadline::after(10s));
    CHECK(over.rcode == Rcode::Error);
    CHECK(over.why.find("too many") != std::string::npos);
    CHECK(errors == 0);  // the ones at the limit are still waiting
}

TEST_CASE("UnboundResolver: names over kMaxDnsName are refused without asking", "[dns]") {
    std::string at = std::string(63, 'a') + "." + std::string(63, 'b') + "." +
                     std::string(63, 'c') + "." + std::string(56, 'd') + ".test";
    REQUIRE(at.size() == mw::limits::kMaxDnsName);
    auto r = resolver_for(zone_server().address());
    CHECK(ask(*r, at, RrType::A).rcode == Rcode::NxDomain);
    CHECK(ask(*r, at + ".", RrType::A).rcode == Rcode::NxDomain);   // the root dot is not counted
    SilentDnsServer silent;
    auto quiet = resolver_for(silent.address());
    auto past = quiet->query("e" + at, RrType::A, Deadline::after(5s));
    CHECK(past.rcode == Rcode::Error);
    CHECK(past.why == "bad query name length");
    CHECK(quiet->query("", RrType::A, Deadline::after(5s)).rcode == Rcode::Error);
    CHECK(silent.queries() == 0);
}

TEST_CASE("UnboundResolver: bad options are errors naming the culprit", "[dns]") {
    auto bad = UnboundResolver::create({{"127.0.0.1:5353", "resolver.example"}, 5s});
    REQUIRE_FALSE(bad);
    CHECK(bad.error().message.find("resolver.example") != std::string::npos);
    auto zero = UnboundResolver::create({{"127.0.0.1"}, 0ms});
    REQUIRE_FALSE(zero);
    CHECK(zero.error().message.find("dns_timeout") != std::string::npos);
}
