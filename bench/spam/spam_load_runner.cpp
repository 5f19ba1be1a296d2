#include "bench/spam/spam_load_runner.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <mutex>
#include <thread>

#include "common/daemon/listen_spec.hpp"
#include "common/milter/milter_transaction.hpp"

namespace mw::bench {

namespace {

using SteadyClock = std::chrono::steady_clock;

// An outside MX client (TEST-NET address, a reverse name matching its HELO) delivering to a local user; the
// envelope sender is the message's Return-Path when it has one.
milter::Transaction transaction_for(const CorpusMessage& m) {
    milter::Transaction t;
    t.client = {"mail.example.org", milter::ConnectInfo::Family::Inet4, "198.51.100.7", 40000};
    t.helo = "mail.example.org";
    t.from = m.sender;
    t.rcpts = {"user@bench.example"};
    t.macros.set("daemon_name", "smtpd");
    return t;
}

struct Plan {
    const SpamCorpus& corpus;
    daemon::ListenSpec where;
    std::size_t count;
    std::atomic<std::size_t> cursor{0};
    std::vector<SpamVerdict> verdicts;
};

// The first few failures are printed: a server that fails every message shows why.
constexpr int kErrorsShown = 3;

// Message i of a run of plan.count: spread evenly over the corpus, so a --limit run keeps its
// mix of ham and spam.
const CorpusMessage& pick(const Plan& plan, std::size_t i) {
    return plan.corpus.messages[i * plan.corpus.messages.size() / plan.count];
}

SpamVerdict send(const Plan& plan, std::size_t i) {
    static std::atomic<int> shown{0};
    const auto& m = pick(plan, i);
    const auto result = milter::run_transaction(plan.where, transaction_for(m), m.message);
    if (!result && shown++ < kErrorsShown) fmt::print(stderr, "spam_load: {}: {}\n", m.name, result.error().message);
    return classify(result);
}

void work(Plan& plan, std::vector<Micros>& samples) {
    for (std::size_t i = plan.cursor++; i < plan.count; i = plan.cursor++) {
        const auto t0 = SteadyClock::now();
        plan.verdicts[i] = send(plan, i);
        samples.push_back(std::chrono::duration_cast<Micros>(SteadyClock::now() - t0));
    }
}

// Samples the tree's RSS until stopped; keeps the largest sum.
class PeakSampler {
public:
    explicit PeakSampler(const ProcessTree& tree)
        : thread_([this, &tree](std::stop_token stop) { loop(tree, stop); }) {}
    std::size_t stop() {
        thread_.request_stop();
        wake_.notify_all();
        thread_.join();
        return peak_;
    }

private:
    void loop(const ProcessTree& tree, std::stop_token stop) {
        std::unique_lock lock(mutex_);
        while (!stop.stop_requested()) {
            peak_ = std::max(peak_, tree.usage(false).rss_bytes);
            wake_.wait_for(lock, kSampleInterval, [&] { return stop.stop_requested(); });
        }
    }

    std::size_t peak_ = 0;
    std::mutex mutex_;
    std::condition_variable wake_;
    std::jthread thread_;
};

VerdictCounts count(const Plan& plan, const std::vector<SpamVerdict>& verdicts) {
    VerdictCounts c;
    for (std::size_t i = 0; i < verdicts.size(); ++i) {
        const bool spam = pick(plan, i).spam;
        const auto v = verdicts[i];
        const bool flagged = v == SpamVerdict::Flagged || v == SpamVerdict::Rejected;
        (spam ? c.spam : c.ham) += 1;
        (spam ? c.spam_flagged : c.ham_flagged) += flagged ? 1 : 0;
        c.tempfail += v == SpamVerdict::Tempfail ? 1 : 0;
        c.errors += v == SpamVerdict::Error ? 1 : 0;
    }
    return c;
}

}  // namespace

Result<SpamLoadResult> run_spam_load(const SpamLoadOptions& o, const SpamCorpus& corpus) {
    auto where = daemon::ListenSpec::parse("unix:" + o.unix_path, false);
    if (!where) return fail(where.error());
    const std::size_t n = o.limit ? std::min<std::size_t>(o.limit, corpus.messages.size()) : corpus.messages.size();
    Plan plan{corpus, *where, n, {}, std::vector<SpamVerdict>(n, SpamVerdict::Error)};
    for (std::size_t i = 0; i < o.warmup; ++i) (void)send(plan, i % n);

    const ProcessTree tree(o.server_pids);
    const auto cpu0 = tree.usage(false).cpu_seconds;
    PeakSampler sampler(tree);
    std::vector<std::vector<Micros>> samples(o.conns);
    const auto t0 = SteadyClock::now();
    {
        std::vector<std::jthread> threads;
        for (auto& s : samples) threads.emplace_back([&plan, &s] { work(plan, s); });
    }
    const auto t1 = SteadyClock::now();
    SpamLoadResult r;
    r.after = tree.usage(true);
    r.peak_rss_bytes = std::max(sampler.stop(), r.after.rss_bytes);
    r.server_cpu_seconds = o.server_pids.empty() ? -1 : r.after.cpu_seconds - cpu0;
    r.seconds = std::chrono::duration<double>(t1 - t0).count();
    std::vector<Micros> all;
    for (auto& s : samples) all.insert(all.end(), s.begin(), s.end());
    r.latency = LatencySummary(std::move(all));
    r.counts = count(plan, plan.verdicts);
    r.verdicts = std::move(plan.verdicts);
    return r;
}

}  // namespace mw::bench
