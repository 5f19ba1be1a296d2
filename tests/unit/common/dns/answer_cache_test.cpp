// dns::AnswerCache: TTL clamp, expiry, negative answers, no failures, the entry bound.
#include "common/dns/answer_cache.hpp"

#include <catch2/catch.hpp>

using namespace mw;
using namespace std::chrono_literals;
using mw::Clock;
using mw::dns::Answer;
using mw::dns::Rcode;
using mw::dns::RrType;

namespace {

Answer answer(Rcode rc, uint32_t ttl) {
    Answer a;
    a.rcode = rc;
    a.ttl = ttl;
    if (rc == Rcode::NoError) a.addresses.push_back(*mw::net::IpAddress::parse("127.0.0.2"));
    return a;
}

const Clock::time_point t0 = Clock::time_point{} + 1000h;

}  // namespace

TEST_CASE("dns::AnswerCache: TTL is clamped to floor and ceiling", "[dns]") {
    dns::AnswerCache cache({60s, 3600s, 100});
    CHECK(cache.clamp_ttl(0) == 60s);
    CHECK(cache.clamp_ttl(59) == 60s);
    CHECK(cache.clamp_ttl(300) == 300s);
    CHECK(cache.clamp_ttl(86400) == 3600s);
}

TEST_CASE("dns::AnswerCache: an entry lives for its clamped TTL", "[dns]") {
    dns::AnswerCache cache({60s, 3600s, 100});
    cache.store("2.0.0.127.zen", RrType::A, answer(Rcode::NoError, 5), t0);  // floor: 60 s
    CHECK(cache.find("2.0.0.127.zen", RrType::A, t0 + 59s));
    CHECK_FALSE(cache.find("2.0.0.127.zen", RrType::A, t0 + 60s));
    CHECK_FALSE(cache.find("2.0.0.127.zen", RrType::TXT, t0));
    cache.store("3.0.0.127.zen", RrType::A, answer(Rcode::NoError, 100000), t0);  // ceiling
    CHECK(cache.find("3.0.0.127.zen", RrType::A, t0 + 3599s));
    CHECK_FALSE(cache.find("3.0.0.127.zen", RrType::A, t0 + 3600s));
}

TEST_CASE("dns::AnswerCache: negative answers are kept, failures are not", "[dns]") {
    dns::AnswerCache cache({60s, 3600s, 100});
    cache.store("nx", RrType::A, answer(Rcode::NxDomain, 120), t0);
    auto hit = cache.find("nx", RrType::A, t0 + 100s);
    REQUIRE(hit);
    CHECK(hit->rcode == Rcode::NxDomain);
    for (auto rc : {Rcode::ServFail, Rcode::Timeout, Rcode::Refused, Rcode::Error}) {
        cache.store("fail", RrType::A, answer(rc, 300), t0);
        CHECK_FALSE(cache.find("fail", RrType::A, t0));
    }
}

TEST_CASE("dns::AnswerCache: a ceiling of 0 disables caching", "[dns]") {
    dns::AnswerCache cache({60s, 0s, 100});
    cache.store("x", RrType::A, answer(Rcode::NoError, 300), t0);
    CHECK(cache.size() == 0);
}

TEST_CASE("dns::AnswerCache: bounded; expired entries go first, then the soonest to expire", "[dns]") {
    dns::AnswerCache cache({1s, 3600s, 3});
    cache.store("a", RrType::A, answer(Rcode::NoError, 10), t0);
    cache.store("b", RrType::A, answer(Rcode::NoError, 500), t0);
    cache.store("c", RrType::A, answer(Rcode::NoError, 300), t0);
    cache.store("d", RrType::A, answer(Rcode::NoError, 400), t0 + 20s);  // "a" has expired
    CHECK(cache.size() == 3);
    CHECK_FALSE(cache.find("a", RrType::A, t0 + 20s));
    cache.store("e", RrType::A, answer(Rcode::NoError, 400), t0 + 20s);  // full: "c" goes
    CHECK(cache.size() == 3);
    CHECK_FALSE(cache.find("c", RrType::A, t0 + 20s));
    CHECK(cache.find("b", RrType::A, t0 + 20s));
    CHECK(cache.find("d", RrType::A, t0 + 20s));
    CHECK(cache.find("e", RrType::A, t0 + 20s));
}

TEST_CASE("dns::AnswerCache: storing a name again replaces it", "[dns]") {
    dns::AnswerCache cache({1s, 3600s, 10});
    cache.store("a", RrType::A, answer(Rcode::NoError, 10), t0);
    cache.store("a", RrType::A, answer(Rcode::NxDomain, 100), t0);
    CHECK(cache.size() == 1);
    auto hit = cache.find("a", RrType::A, t0 + 50s);
    REQUIRE(hit);
    CHECK(hit->rcode == Rcode::NxDomain);
}
