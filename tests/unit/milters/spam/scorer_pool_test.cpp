#include <catch2/catch.hpp>

#include <thread>
#include <vector>

#include "milters/spam/mime/message_parser.hpp"
#include "milters/spam/scorer_pool.hpp"
#include "milters/spam/spam_settings.hpp"
#include "tests/support/temp_dir.hpp"

using namespace mw::spam;

namespace {

const char* kRules =
    "body GTUBE /XJS\\*C4JDBQADN1\\.NSBN3\\*2IDNEN\\*GTUBE-STANDARD-ANTI-UBE-TEST-EMAIL\\*C\\.34X/\n"
    "score GTUBE 1000\n"
    "body WATCHES /\\bwatches\\b/\nscore WATCHES 1.5\n"
    "header SUBJ_WIN Subject =~ /\\bwin\\b/i\nscore SUBJ_WIN 2\n";

const std::string kSpam =
    "From: a@example.com\nSubject: you win\n\nXJS*C4JDBQADN1.NSBN3*2IDNEN*GTUBE-STANDARD-ANTI-UBE-TEST-EMAIL*C.34X\n";
const std::string kHam = "From: b@example.org\nSubject: minutes\n\nThe meeting moved to Tuesday.\n";
const std::string kWatches = "From: c@example.net\nSubject: offer\n\ncheap watches here\n";

struct Fixture {
    mw::test::TempDir dir;
    SpamSettings settings;
    std::shared_ptr<const CompiledRules> rules;

    Fixture() {
        mime_library_init();
        settings.rule_paths = {dir.write("test.cf", kRules)};
        auto loaded = load_rules(settings);
        REQUIRE(loaded);
        rules = *loaded;
    }

    double score(MessageScorer& scorer, const std::string& message) const {
        Envelope env;
        env.mail_from_known = true;
        return scorer.score(message, env, settings, 0).verdict.score;
    }
};

}  // namespace

TEST_CASE("a returned scorer is lent again instead of a new one") {
    Fixture f;
    ScorerPool pool(*f.rules);
    const MessageScorer* first = nullptr;
    {
        auto lease = pool.acquire();
        first = &*lease;
        CHECK(pool.idle() == 0);
    }
    CHECK(pool.idle() == 1);
    auto again = pool.acquire();
    CHECK(&*again == first);
    CHECK(pool.idle() == 0);
}

TEST_CASE("scorers lent at once are distinct, and at most max_idle are kept") {
    Fixture f;
    ScorerPool pool(*f.rules, 2);
    {
        std::vector<ScorerPool::Lease> leases;
        for (int i = 0; i < 4; ++i) leases.push_back(pool.acquire());
        for (std::size_t i = 0; i < leases.size(); ++i)
            for (std::size_t j = i + 1; j < leases.size(); ++j) CHECK(&*leases[i] != &*leases[j]);
    }
    CHECK(pool.idle() == 2);
}

TEST_CASE("a reused scorer carries nothing from one message to the next") {
    Fixture f;
    ScorerPool pool(*f.rules);
    MessageScorer fresh(*f.rules);
    const double spam = f.score(fresh, kSpam);
    REQUIRE(spam >= 1002);
    for (const std::string* m : {&kSpam, &kHam, &kWatches, &kSpam, &kHam}) {
        MessageScorer own(*f.rules);
        CHECK(f.score(*pool.acquire(), *m) == f.score(own, *m));
    }
    CHECK(f.score(*pool.acquire(), kHam) == 0);
    CHECK(f.score(*pool.acquire(), kWatches) == Approx(1.5));
}

TEST_CASE("threads share one pool") {
    Fixture f;
    ScorerPool pool(*f.rules, 3);
    constexpr int kThreads = 4, kRounds = 25;
    std::vector<int> wrong(kThreads, 0);
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t) {
        threads.emplace_back([&, t] {
            for (int i = 0; i < kRounds; ++i) {
                const bool spam = (i + t) % 2 == 0;
                const double s = f.score(*pool.acquire(), spam ? kSpam : kWatches);
                if (spam ? s < 1002 : s != 1.5) ++wrong[static_cast<std::size_t>(t)];
            }
        });
    }
    for (auto& th : threads) th.join();
    for (int w : wrong) CHECK(w == 0);
    CHECK(pool.idle() <= 3);
    CHECK(pool.idle() >= 1);
}
