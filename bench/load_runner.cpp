#include "bench/load_runner.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <latch>
#include <optional>
#include <thread>

#include "bench/policy_channel.hpp"
#include "bench/process_cpu.hpp"

namespace mw::bench {

namespace {

using SteadyClock = std::chrono::steady_clock;
constexpr std::chrono::milliseconds kReplyTimeout{30000};   // above policyd's lookup_time (20s)

// What one connection's thread collects.
struct Worker {
    PolicyChannel* channel = nullptr;
    RequestMix mix;
    std::vector<Micros> samples;
    ActionTally actions;
    std::uint64_t errors = 0;
    bool failed = false;
};

// Sends one message's requests and returns how many; stops at the first failure (the
// connection is then dropped).
std::uint64_t send_message(Worker& w, bool measure) {
    std::uint64_t sent = 0;
    for (const auto& req : w.mix.next_message()) {
        const auto t0 = SteadyClock::now();
        auto reply = w.channel->ask(req, kReplyTimeout);
        if (!reply) {
            ++w.errors;
            w.failed = true;
            fmt::print(stderr, "policy_load: {}\n", reply.error().message);
            return sent;
        }
        ++sent;
        if (!measure) continue;
        w.samples.push_back(std::chrono::duration_cast<Micros>(SteadyClock::now() - t0));
        w.actions.add(*reply);
    }
    return sent;
}

struct Shared {
    std::latch warmed;
    std::latch go;
    std::atomic<std::uint64_t> issued{0};
    std::uint64_t limit = 0;   // 0: none
    SteadyClock::time_point deadline{};
};

void work(Worker& w, Shared& s, unsigned warmup) {
    for (unsigned i = 0; i < warmup && !w.failed; ++i) send_message(w, false);
    s.warmed.count_down();
    s.go.wait();
    // The request bound is checked per message: a run may pass it by one message per connection.
    while (!w.failed && SteadyClock::now() < s.deadline) {
        if (s.limit && s.issued.load() >= s.limit) break;
        s.issued += send_message(w, true);
    }
}

Result<std::vector<PolicyChannel>> open_channels(const LoadOptions& o) {
    std::vector<PolicyChannel> channels;
    for (unsigned i = 0; i < o.conns; ++i) {
        auto c = o.unix_path.empty() ? PolicyChannel::spawn(o.spawn_argv, o.child_stderr)
                                     : PolicyChannel::connect_unix(o.unix_path);
        if (!c) return fail(c.error());
        channels.push_back(std::move(*c));
    }
    return channels;
}

std::vector<pid_t> server_pids(const LoadOptions& o, const std::vector<PolicyChannel>& channels) {
    if (!o.unix_path.empty()) return {o.server_pid};
    std::vector<pid_t> pids;
    for (const auto& c : channels) pids.push_back(c.child_pid());
    return pids;
}

// Sum of CPU seconds; nullopt when any process is gone.
std::optional<double> cpu_of(const std::vector<pid_t>& pids) {
    double sum = 0;
    for (pid_t p : pids) {
        auto s = process_cpu_seconds(p);
        if (!s) return std::nullopt;
        sum += *s;
    }
    return sum;
}

double delta(const std::optional<double>& before, const std::optional<double>& after) {
    return before && after ? *after - *before : -1;
}

}  // namespace

void ActionTally::add(const std::string& reply) {
    // The action word, upper-cased: policyd-spf answers "prepend", mailwarden "PREPEND".
    std::string a = reply.substr(0, std::min(reply.find_first_of(" \n"), std::size_t{32}));
    for (auto& ch : a) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
    std::size_t kind = 4;
    if (a == "ACTION=PREPEND") kind = 0;
    else if (a == "ACTION=DUNNO") kind = 1;
    else if (a.starts_with("ACTION=5") || a == "ACTION=REJECT") kind = 2;
    else if (a.starts_with("ACTION=4") || a.starts_with("ACTION=DEFER")) kind = 3;
    ++counts[kind];
}

void ActionTally::merge(const ActionTally& other) {
    for (std::size_t i = 0; i < counts.size(); ++i) counts[i] += other.counts[i];
}

std::string ActionTally::to_string() const {
    return fmt::format("prepend:{},dunno:{},reject:{},defer:{},other:{}", counts[0], counts[1],
                       counts[2], counts[3], counts[4]);
}

Result<LoadResult> run_load(const LoadOptions& o) {
    auto channels = open_channels(o);
    if (!channels) return fail(channels.error());
    std::vector<Worker> workers;
    for (unsigned i = 0; i < o.conns; ++i)
        workers.push_back(Worker{&(*channels)[i], RequestMix(o.mix, i, o.seed), {}, {}, 0, false});
    Shared shared{std::latch(o.conns), std::latch(1)};
    shared.limit = o.requests;
    std::vector<std::jthread> threads;
    for (auto& w : workers) threads.emplace_back([&w, &shared, &o] { work(w, shared, o.warmup); });
    shared.warmed.wait();

    const auto pids = server_pids(o, *channels);
    const auto cpu0 = cpu_of(pids);
    const auto dns0 = o.dns_pid > 0 ? process_cpu_seconds(o.dns_pid) : std::nullopt;
    const auto t0 = SteadyClock::now();
    shared.deadline = t0 + std::chrono::duration_cast<SteadyClock::duration>(
                               std::chrono::duration<double>(o.seconds));
    shared.go.count_down();
    for (auto& t : threads) t.join();
    const auto t1 = SteadyClock::now();

    LoadResult r;
    r.server_cpu_seconds = delta(cpu0, cpu_of(pids));
    if (o.dns_pid > 0) r.dns_cpu_seconds = delta(dns0, process_cpu_seconds(o.dns_pid));
    r.seconds = std::chrono::duration<double>(t1 - t0).count();
    std::vector<Micros> all;
    for (auto& w : workers) {
        all.insert(all.end(), w.samples.begin(), w.samples.end());
        r.errors += w.errors;
        r.actions.merge(w.actions);
    }
    r.requests = all.size();
    r.latency = LatencySummary(std::move(all));
    return r;
}

Result<FirstAnswerResult> run_first_answer(const LoadOptions& o) {
    FirstAnswerResult r;
    std::vector<Micros> samples;
    RequestMix mix(CacheMode::Warm, 0, o.seed);
    for (unsigned i = 0; i < o.first_answer; ++i) {
        const auto request = mix.next_message().front();
        const auto t0 = SteadyClock::now();
        auto channel = PolicyChannel::spawn(o.spawn_argv, o.child_stderr);
        if (!channel) return fail(channel.error());
        auto reply = channel->ask(request, kReplyTimeout);
        const auto t1 = SteadyClock::now();
        if (!reply || !reply->starts_with("action=")) {
            ++r.failures;
            continue;
        }
        samples.push_back(std::chrono::duration_cast<Micros>(t1 - t0));
    }
    r.latency = LatencySummary(std::move(samples));
    return r;
}

}  // namespace mw::bench
