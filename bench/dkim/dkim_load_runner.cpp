#include "bench/dkim/dkim_load_runner.hpp"

#include <fmt/format.h>

#include <atomic>
#include <latch>
#include <optional>
#include <thread>

#include "bench/dkim/mta_session.hpp"
#include "bench/process_cpu.hpp"

namespace mw::bench {

namespace {

using SteadyClock = std::chrono::steady_clock;

struct Plan {
    const DkimLoadOptions& options;
    daemon::ListenSpec where;
    milter::Transaction transaction;
    const milter::MailMessage& message;
};

// What one connection's thread collects.
struct Worker {
    const Plan* plan = nullptr;
    std::optional<MtaSession> session;
    unsigned in_session = 0;
    std::vector<Micros> samples;
    DkimTally tally;
    std::uint64_t errors = 0;
    bool failed = false;

    // One message, on the open session or a new one; false (and the thread stops) on failure.
    bool send_one(bool measure) {
        const auto t0 = SteadyClock::now();
        if (!session) {
            auto s = MtaSession::open(plan->where, plan->transaction);
            if (!s) return lost(s.error().message);
            session.emplace(std::move(*s));
        }
        auto outcome = session->send(plan->message);
        if (!outcome) return lost(outcome.error().message);
        if (++in_session >= plan->options.per_session) close();
        if (!measure) return true;
        samples.push_back(std::chrono::duration_cast<Micros>(SteadyClock::now() - t0));
        tally.add(*outcome, plan->options.mode, plan->options.expect);
        return true;
    }

    void close() {
        if (session) (void)session->quit();
        session.reset();
        in_session = 0;
    }

    bool lost(const std::string& why) {
        ++errors;
        failed = true;
        session.reset();
        fmt::print(stderr, "dkim_load: {}\n", why);
        return false;
    }
};

struct Shared {
    std::latch warmed;
    std::latch go;
    SteadyClock::time_point deadline{};
};

void work(Worker& w, Shared& s) {
    const auto& o = w.plan->options;
    for (unsigned i = 0; i < o.warmup && !w.failed; ++i) w.send_one(false);
    s.warmed.count_down();
    s.go.wait();
    for (std::uint64_t n = 0; !w.failed && SteadyClock::now() < s.deadline; ++n) {
        if (o.messages && n >= o.messages) break;
        w.send_one(true);
    }
    w.close();
}

double delta(const std::optional<double>& before, const std::optional<double>& after) {
    return before && after ? *after - *before : -1;
}

std::optional<double> server_cpu(pid_t pid) {
    return pid > 0 ? process_cpu_seconds(pid) : std::nullopt;
}

DkimLoadResult collect(std::vector<Worker>& workers, double seconds, double cpu) {
    DkimLoadResult r;
    std::vector<Micros> all;
    for (auto& w : workers) {
        all.insert(all.end(), w.samples.begin(), w.samples.end());
        r.tally.merge(w.tally);
        r.errors += w.errors;
    }
    r.messages = all.size();
    r.seconds = seconds;
    r.server_cpu_seconds = cpu;
    r.latency = LatencySummary(std::move(all));
    return r;
}

}  // namespace

milter::Transaction bench_transaction(LoadMode mode, const MessageShape& shape) {
    milter::Transaction t;
    t.from = shape.from;
    t.rcpts = {shape.rcpt};
    if (mode == LoadMode::Sign) {
        t.client = {"client.example.org", milter::ConnectInfo::Family::Inet4, "192.0.2.9", 40000};
        t.helo = "client.example.org";
        t.macros.set("daemon_name", "ORIGINATING");   // Postfix's submission service sets this
    } else {
        const std::string domain = shape.from.substr(shape.from.rfind('@') + 1);
        t.client = {"mail." + domain, milter::ConnectInfo::Family::Inet4, "198.51.100.7", 40000};
        t.helo = "mail." + domain;
        t.macros.set("daemon_name", "smtpd");
    }
    return t;
}

Result<milter::MailMessage> prepare_message(const DkimLoadOptions& o) {
    auto message = milter::MailMessage::parse(make_message_text(o.shape));
    if (!message || o.presign_path.empty()) return message;
    auto where = daemon::ListenSpec::parse("unix:" + o.presign_path, false);
    if (!where) return fail(where.error());
    auto session = MtaSession::open(*where, bench_transaction(LoadMode::Sign, o.shape));
    if (!session) return fail(session.error());
    auto outcome = session->send(*message);
    if (!outcome) return fail(outcome.error());
    (void)session->quit();
    DkimTally tally;
    tally.add(*outcome, LoadMode::Sign, 0);
    if (tally.signatures == 0) return fail(ErrorCode::Invalid, "the presigning milter added no DKIM-Signature");
    message->apply(outcome->edits, session->leading_space());
    return message;
}

Result<DkimLoadResult> run_dkim_load(const DkimLoadOptions& o, const milter::MailMessage& message) {
    auto where = daemon::ListenSpec::parse("unix:" + o.unix_path, false);
    if (!where) return fail(where.error());
    const Plan plan{o, *where, bench_transaction(o.mode, o.shape), message};
    std::vector<Worker> workers(o.conns);
    for (auto& w : workers) w.plan = &plan;
    Shared shared{std::latch(o.conns), std::latch(1)};
    std::vector<std::jthread> threads;
    for (auto& w : workers) threads.emplace_back([&w, &shared] { work(w, shared); });
    shared.warmed.wait();

    const auto cpu0 = server_cpu(o.server_pid);
    const auto t0 = SteadyClock::now();
    shared.deadline = t0 + std::chrono::duration_cast<SteadyClock::duration>(std::chrono::duration<double>(o.seconds));
    shared.go.count_down();
    for (auto& t : threads) t.join();
    const auto t1 = SteadyClock::now();
    const auto cpu1 = server_cpu(o.server_pid);
    return collect(workers, std::chrono::duration<double>(t1 - t0).count(), delta(cpu0, cpu1));
}

}  // namespace mw::bench
