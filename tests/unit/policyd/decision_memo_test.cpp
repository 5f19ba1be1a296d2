#include <catch2/catch.hpp>

#include <string>

#include "policyd/decision_memo.hpp"
#include "policyd/policy_service.hpp"
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

PolicyRequest request() {
    PolicyRequest r;
    r.request = "smtpd_access_policy";
    r.client_address = "203.0.113.9";
    r.helo_name = "mx.example.org";
    r.sender = "a@example.org";
    r.client_name = "mx.example.org";
    r.queue_id = "8045F2AB23";
    return r;
}

RenderedPtr rendered(std::string wire) {
    auto r = std::make_shared<RenderedDecision>();
    r->wire = std::move(wire);
    return r;
}

}  // namespace

TEST_CASE("DecisionMemo: hit, miss, and what is in the key", "[policyd]") {
    DecisionMemo memo(100, std::chrono::seconds(0));
    const PolicyRequest base = request();
    const std::string key = DecisionMemo::key_of(base);
    CHECK(memo.find(key) == nullptr);
    memo.store(key, rendered("a"), 300);
    REQUIRE(memo.find(key));
    CHECK(memo.find(key)->wire == "a");

    // Fields the decision does not read do not change the key.
    PolicyRequest same = base;
    same.queue_id = "OTHER";
    same.recipient = "x@example.net";
    same.instance = "1.2.3";
    same.size = "999";
    CHECK(DecisionMemo::key_of(same) == key);

    // Every field it does read does.
    auto differs = [&](auto change) {
        PolicyRequest r = base;
        change(r);
        return DecisionMemo::key_of(r) != key && memo.find(DecisionMemo::key_of(r)) == nullptr;
    };
    CHECK(differs([](PolicyRequest& r) { r.helo_name = "MX.example.org"; }));
    CHECK(differs([](PolicyRequest& r) { r.helo_name = "other.example.org"; }));
    CHECK(differs([](PolicyRequest& r) { r.sender = "b@example.org"; }));
    CHECK(differs([](PolicyRequest& r) { r.sender.clear(); }));
    CHECK(differs([](PolicyRequest& r) { r.client_address = "203.0.113.10"; }));
    CHECK(differs([](PolicyRequest& r) { r.client_name = "unknown"; }));
    CHECK(differs([](PolicyRequest& r) { r.sasl_username = "you"; }));
    // Length prefixes: moving bytes from one field to the next is another key.
    CHECK(differs([](PolicyRequest& r) {
        r.helo_name = "mx.example.org1:a";
        r.sender = "@example.org";
    }));
}

TEST_CASE("DecisionMemo: entries live for their ttl, capped by max_ttl; ttl 0 keeps nothing",
          "[policyd]") {
    FakeClock clock;
    DecisionMemo memo(100, std::chrono::seconds(60), clock.fn());
    memo.store("short", rendered("s"), 10);
    memo.store("long", rendered("l"), 3600);  // capped at 60
    memo.store("zero", rendered("z"), 0);
    CHECK(memo.size() == 2);
    CHECK(memo.find("zero") == nullptr);
    clock.now += std::chrono::seconds(9);
    CHECK(memo.find("short"));
    clock.now += std::chrono::seconds(1);
    CHECK(memo.find("short") == nullptr);
    clock.now += std::chrono::seconds(49);
    CHECK(memo.find("long"));
    clock.now += std::chrono::seconds(1);
    CHECK(memo.find("long") == nullptr);
}

TEST_CASE("DecisionMemo: bounded, least recently used goes first; capacity 0 keeps nothing",
          "[policyd]") {
    DecisionMemo memo(2, std::chrono::seconds(0));
    memo.store("a", rendered("a"), 300);
    memo.store("b", rendered("b"), 300);
    CHECK(memo.find("a"));
    memo.store("c", rendered("c"), 300);
    CHECK(memo.size() == 2);
    CHECK(memo.find("a"));
    CHECK(memo.find("b") == nullptr);
    CHECK(memo.find("c"));

    DecisionMemo off(0, std::chrono::seconds(0));
    off.store("a", rendered("a"), 300);
    CHECK(off.size() == 0);
    CHECK(off.find("a") == nullptr);
}

TEST_CASE("SpfPolicy: a decision's ttl is the smallest of its outcomes', 0 after a temperror",
          "[policyd]") {
    test::FakeSpfChecker spf;
    PolicyOptions o;
    SpfPolicy policy(o, spf);
    spf.script(mw::spf::Identity::Helo, mw::spf::SpfResult::Pass, {}, 600);
    spf.script(mw::spf::Identity::MailFrom, mw::spf::SpfResult::Pass, {}, 120);
    CHECK(policy.decide(request(), mw::Deadline::never()).ttl == 120);
    spf.script(mw::spf::Identity::MailFrom, mw::spf::SpfResult::TempError, {}, 300);
    CHECK(policy.decide(request(), mw::Deadline::never()).ttl == 0);
    // No SPF check at all (a skipped client): nothing expires.
    PolicyRequest local = request();
    local.client_address = "127.0.0.1";
    CHECK(policy.decide(local, mw::Deadline::never()).ttl == Decision::kNoExpiry);
}

TEST_CASE("render: replies and the log line without the queue id", "[policyd]") {
    test::FakeSpfChecker spf;
    spf.script(mw::spf::Identity::Helo, mw::spf::SpfResult::None);
    spf.script(mw::spf::Identity::MailFrom, mw::spf::SpfResult::Pass);
    PolicyOptions o;
    o.receiver = "mx.test";
    SpfPolicy policy(o, spf);
    const Decision d = policy.decide(request(), mw::Deadline::never());
    const RenderedPtr r = render(d);
    CHECK(r->wire == d.reply().to_wire());
    CHECK(r->replay_wire == "action=DUNNO\n\n");
    CHECK(r->log_fields.rfind("spf=pass identity=mailfrom client=[203.0.113.9] helo=mx.example.org "
                              "envelope-from=<a@example.org> ", 0) == 0);
    CHECK(r->log_fields.find("8045F2AB23") == std::string::npos);
    CHECK(r->log_fields.size() > 13);
    CHECK(r->log_fields.substr(r->log_fields.size() - 14) == "action=prepend");
}
