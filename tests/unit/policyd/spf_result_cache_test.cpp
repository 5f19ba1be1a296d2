#include <catch2/catch.hpp>

#include "policyd/spf_result_cache.hpp"
#include "tests/unit/policyd/fake_spf_checker.hpp"

using namespace mw::policyd;
using mw::Clock;
using mw::Deadline;
using mw::spf::Identity;
using mw::spf::SpfRequest;
using mw::spf::SpfResult;

namespace {

struct FakeClock {
    Clock::time_point now{};
    NowFn fn() {
        return [this] { return now; };
    }
};

SpfRequest req(std::string sender = "a@example.org", std::string ip = "203.0.113.9",
               std::string helo = "mx.example.org") {
    return SpfRequest{*mw::net::IpAddress::parse(ip), std::move(helo), std::move(sender),
                      Identity::MailFrom, "mx.example.net"};
}

}  // namespace

TEST_CASE("CachingSpfChecker: a hit skips the evaluator until the TTL passes", "[policyd]") {
    FakeClock clock;
    SpfResultCache cache(100, std::chrono::seconds(0), clock.fn());
    test::FakeSpfChecker inner;
    inner.script(Identity::MailFrom, SpfResult::Fail, "", 120);
    CachingSpfChecker spf(inner, cache);

    CHECK(spf.check(req(), Deadline::never()).result == SpfResult::Fail);
    CHECK(spf.check(req(), Deadline::never()).result == SpfResult::Fail);
    CHECK(inner.calls.size() == 1);
    clock.now += std::chrono::seconds(119);
    spf.check(req(), Deadline::never());
    CHECK(inner.calls.size() == 1);
    clock.now += std::chrono::seconds(1);
    spf.check(req(), Deadline::never());
    CHECK(inner.calls.size() == 2);
}

TEST_CASE("SpfResultCache: max_ttl caps the DNS TTL", "[policyd]") {
    FakeClock clock;
    SpfResultCache cache(100, std::chrono::seconds(30), clock.fn());
    mw::spf::SpfOutcome o;
    o.result = SpfResult::Pass;
    o.ttl = 86400;
    cache.store(req(), o);
    clock.now += std::chrono::seconds(29);
    CHECK(cache.find(req()));
    clock.now += std::chrono::seconds(1);
    CHECK_FALSE(cache.find(req()));
}

TEST_CASE("SpfResultCache: temperror and ttl 0 are never cached", "[policyd]") {
    SpfResultCache cache(100, std::chrono::seconds(0));
    mw::spf::SpfOutcome o;
    o.result = SpfResult::TempError;
    o.ttl = 300;
    cache.store(req(), o);
    CHECK(cache.size() == 0);
    o.result = SpfResult::Pass;
    o.ttl = 0;
    cache.store(req(), o);
    CHECK(cache.size() == 0);
    o.result = SpfResult::PermError;
    o.ttl = 300;
    cache.store(req(), o);
    CHECK(cache.size() == 1);
}

TEST_CASE("SpfResultCache: key covers identity, IP, HELO and sender", "[policyd]") {
    SpfResultCache cache(100, std::chrono::seconds(0));
    mw::spf::SpfOutcome o;
    o.result = SpfResult::Pass;
    o.ttl = 300;
    cache.store(req(), o);
    CHECK(cache.find(req()));
    CHECK(cache.find(req("a@EXAMPLE.ORG")));                           // domain case folded
    CHECK(cache.find(req("a@example.org", "::ffff:203.0.113.9")));     // v4-mapped folded
    CHECK(cache.find(req("a@example.org", "203.0.113.9", "MX.example.org")));
    CHECK_FALSE(cache.find(req("A@example.org")));                     // local-part kept
    CHECK_FALSE(cache.find(req("b@example.org")));
    CHECK_FALSE(cache.find(req("a@example.org", "203.0.113.10")));
    CHECK_FALSE(cache.find(req("a@example.org", "203.0.113.9", "other.example")));
    auto helo = req();
    helo.identity = Identity::Helo;
    CHECK_FALSE(cache.find(helo));
}

TEST_CASE("SpfResultCache: bounded entry count", "[policyd]") {
    SpfResultCache cache(3, std::chrono::seconds(0));
    mw::spf::SpfOutcome o;
    o.result = SpfResult::Pass;
    o.ttl = 300;
    for (int i = 0; i < 10; ++i) cache.store(req("u" + std::to_string(i) + "@example.org"), o);
    CHECK(cache.size() == 3);
    CHECK(cache.find(req("u9@example.org")));
    CHECK_FALSE(cache.find(req("u0@example.org")));
    SpfResultCache none(0, std::chrono::seconds(0));
    none.store(req(), o);
    CHECK(none.size() == 0);
}

TEST_CASE("CachingSpfChecker: prefetch reaches the evaluator only on a miss", "[policyd]") {
    FakeClock clock;
    SpfResultCache cache(100, std::chrono::seconds(0), clock.fn());
    test::FakeSpfChecker inner;
    inner.script(Identity::MailFrom, SpfResult::Pass, "", 120);
    CachingSpfChecker spf(inner, cache);

    spf.prefetch(req(), Deadline::never());
    CHECK(inner.events == std::vector<std::string>{"prefetch mailfrom example.org"});
    spf.check(req(), Deadline::never());
    spf.prefetch(req(), Deadline::never());
    CHECK(inner.events.size() == 2);
    spf.prefetch(req("b@example.com"), Deadline::never());
    CHECK(inner.events.back() == "prefetch mailfrom example.com");
}

TEST_CASE("SpfResultCache: a hit's ttl is what is left of the entry (capped), whole seconds",
          "[policyd]") {
    FakeClock clock;
    SpfResultCache cache(100, std::chrono::seconds(100), clock.fn());
    mw::spf::SpfOutcome o;
    o.result = mw::spf::SpfResult::Pass;
    o.ttl = 300;  // capped at 100
    cache.store(req(), o);
    CHECK(cache.find(req())->ttl == 100);
    clock.now += std::chrono::milliseconds(30'500);
    CHECK(cache.find(req())->ttl == 69);
    clock.now += std::chrono::milliseconds(69'000);
    CHECK(cache.find(req())->ttl == 0);  // under a second left: nothing may build on it
    clock.now += std::chrono::milliseconds(500);
    CHECK_FALSE(cache.find(req()));
}
