#include <catch2/catch.hpp>

#include <thread>
#include <vector>

#include "policyd/instance_cache.hpp"
#include "tests/unit/policyd/fake_spf_checker.hpp"

using namespace mw::policyd;
using mw::Clock;

namespace {

struct FakeClock {
    Clock::time_point now{};
    NowFn fn() {
        return [this] { return now; };
    }
};

RenderedPtr decision(ReplyAction action, std::string header = "Received-SPF: pass x") {
    Decision d;
    d.action = action;
    d.intended = action;
    d.header = std::move(header);
    d.text = "Message rejected";
    d.code = "550";
    d.dsn = "5.7.23";
    return render(d);
}

}  // namespace

TEST_CASE("InstanceCache: later recipients replay, PREPEND only once", "[policyd]") {
    InstanceCache cache;
    CHECK_FALSE(cache.replay("a.1"));
    cache.remember("a.1", decision(ReplyAction::Prepend));
    auto again = cache.replay("a.1");
    REQUIRE(again);
    CHECK(again->wire == "action=PREPEND Received-SPF: pass x\n\n");
    CHECK(again->replay_wire == "action=DUNNO\n\n");
    CHECK_FALSE(cache.replay("a.2"));
}

TEST_CASE("InstanceCache: a refusal is repeated for every recipient", "[policyd]") {
    InstanceCache cache;
    cache.remember("r.1", decision(ReplyAction::Reject));
    for (int i = 0; i < 3; ++i) {
        auto d = cache.replay("r.1");
        REQUIRE(d);
        CHECK(d->replay_wire == "action=550 5.7.23 Message rejected\n\n");
    }
    cache.remember("d.1", decision(ReplyAction::DeferIfPermit));
    CHECK(cache.replay("d.1")->replay_wire == "action=DEFER_IF_PERMIT Message rejected\n\n");
}

TEST_CASE("InstanceCache: no instance, no caching", "[policyd]") {
    InstanceCache cache;
    cache.remember("", decision(ReplyAction::Reject));
    CHECK(cache.size() == 0);
    CHECK_FALSE(cache.replay(""));
}

TEST_CASE("InstanceCache: bounded, least recently used goes first", "[policyd]") {
    InstanceCache cache(2);
    cache.remember("a", decision(ReplyAction::Reject));
    cache.remember("b", decision(ReplyAction::Reject));
    CHECK(cache.replay("a"));  // a is now the most recent
    cache.remember("c", decision(ReplyAction::Reject));
    CHECK(cache.size() == 2);
    CHECK(cache.replay("a"));
    CHECK_FALSE(cache.replay("b"));
    CHECK(cache.replay("c"));
}

TEST_CASE("InstanceCache: entries expire after max_age", "[policyd]") {
    FakeClock clock;
    InstanceCache cache(10, std::chrono::seconds(60), clock.fn());
    cache.remember("a", decision(ReplyAction::Reject));
    clock.now += std::chrono::seconds(59);
    CHECK(cache.replay("a"));
    clock.now += std::chrono::seconds(1);
    CHECK_FALSE(cache.replay("a"));
    CHECK(cache.size() == 0);
}

TEST_CASE("InstanceCache: the first recipient decides, through SpfPolicy", "[policyd]") {
    test::FakeSpfChecker spf;
    spf.script(mw::spf::Identity::MailFrom, mw::spf::SpfResult::Pass);
    PolicyOptions o;
    o.helo_reject = RejectPolicy::NoCheck;
    SpfPolicy policy(o, spf);
    InstanceCache cache;
    PolicyRequest r;
    r.client_address = "203.0.113.9";
    r.helo_name = "mx.example.org";
    r.sender = "a@example.org";
    r.instance = "7.8.9";
    std::vector<std::string> wires;
    for (int rcpt = 0; rcpt < 3; ++rcpt) {
        if (auto d = cache.replay(r.instance)) {
            wires.push_back(d->replay_wire);
            continue;
        }
        auto d = render(policy.decide(r, mw::Deadline::never()));
        cache.remember(r.instance, d);
        wires.push_back(d->wire);
    }
    CHECK(spf.calls.size() == 1);
    CHECK(wires[0].rfind("action=PREPEND Received-SPF: pass", 0) == 0);
    CHECK(wires[1] == "action=DUNNO\n\n");
    CHECK(wires[2] == "action=DUNNO\n\n");
}

TEST_CASE("InstanceCache: many threads at once stay consistent", "[policyd]") {
    InstanceCache cache(64);
    std::vector<std::thread> threads;
    for (int t = 0; t < 4; ++t) {
        threads.emplace_back([&cache, t] {
            for (int i = 0; i < 2000; ++i) {
                const std::string key = std::to_string(t) + "." + std::to_string(i % 100);
                cache.remember(key, decision(ReplyAction::Reject));
                auto d = cache.replay(key);
                if (d) REQUIRE(d->replay_wire.rfind("action=550 ", 0) == 0);
            }
        });
    }
    for (auto& th : threads) th.join();
    CHECK(cache.size() <= 64);
}
