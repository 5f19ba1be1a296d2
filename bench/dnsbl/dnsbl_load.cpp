// dnsbl_load: the load generator of bench/dnsbl (run_dnsbl_bench.sh). Closed loop, one thread per
// connection slot: each iteration is one client "connection" from the next address of the mix.
//   --milter unix:PATH   a whole milter session as Postfix's smtpd runs it for one SMTP
//                        connection with one message (negotiate, CONNECT, HELO, MAIL, RCPT, DATA,
//                        headers, body, end of message, QUIT): the milter's lists all at once;
//   --sequential Z1,Z2.. the same lists' lookups one after another through our resolver, as
//                        smtpd's reject_rbl_client restriction list makes them;
//   --parallel Z1,Z2..   those lookups all at once through our resolver (no milter).
// Prints one line: RESULT name=.. conns=.. sessions=.. cps=.. p50_us=.. p90_us=.. p99_us=..
// max_us=.. reject=.. continue=.. tempfail=.. listed=.. errors=.. [cpu_us_per_conn=..]
//
// usage: dnsbl_load [--name N] (--milter unix:PATH | --sequential ZONES | --parallel ZONES)
//          [--dns ADDR:PORT] [--timeout-ms MS] [--seconds S] [--conns N] [--mix warm|cold]
//          [--seed N] [--warmup N] [--pid SERVER_PID]
#include <fmt/format.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "bench/dnsbl/client_mix.hpp"
#include "bench/dnsbl/dnsbl_load_options.hpp"
#include "bench/dnsbl/list_lookups.hpp"
#include "bench/latency_summary.hpp"
#include "bench/process_cpu.hpp"
#include "common/dns/unbound_resolver.hpp"
#include "common/milter/milter_transaction.hpp"

namespace mw::bench {
namespace {

using Clock = std::chrono::steady_clock;

struct Tally {
    std::vector<Micros> samples;
    long reject = 0, cont = 0, tempfail = 0, listed = 0, errors = 0;
};

const milter::MailMessage& bench_message() {
    static const milter::MailMessage m = *milter::MailMessage::parse(
        "From: Alice <alice@example.org>\nTo: bob@example.net\nSubject: bench\nMessage-ID: <1@example.org>\n\nHello.\n");
    return m;
}

class Worker {
public:
    Worker(const DnsblLoadOptions& o, ClientMix& mix, const ListLookups* lookups)
        : o_(o), mix_(mix), lookups_(lookups), where_(o.mode == DnsblLoadMode::Milter ? listen_spec(o.milter) : nullptr) {}

    void one(Tally& t) const {
        const std::string ip = mix_.next();
        if (o_.mode == DnsblLoadMode::Sequential) {
            t.listed += lookups_->sequential(ip);
            return;
        }
        if (o_.mode == DnsblLoadMode::Parallel) {
            t.listed += lookups_->parallel(ip);
            return;
        }
        milter::Transaction tr;
        tr.client = {"unknown", milter::ConnectInfo::Family::Inet4, ip, 40000};
        tr.helo = "mail.example.org";
        tr.from = "alice@example.org";
        tr.rcpts = {"bob@example.net"};
        auto r = milter::run_transaction(*where_, tr, bench_message());
        if (!r) {
            ++t.errors;
            return;
        }
        switch (r->verdict) {
            case milter::Verdict::Reject: ++t.reject; break;
            case milter::Verdict::Tempfail: ++t.tempfail; break;
            case milter::Verdict::Continue: ++t.cont; break;
            default: ++t.errors; break;
        }
    }

private:
    static std::shared_ptr<daemon::ListenSpec> listen_spec(const std::string& text) {
        auto spec = daemon::ListenSpec::parse(text, false);
        if (!spec) throw std::runtime_error(spec.error().to_string());
        return std::make_shared<daemon::ListenSpec>(*spec);
    }

    const DnsblLoadOptions& o_;
    ClientMix& mix_;
    const ListLookups* lookups_;
    std::shared_ptr<daemon::ListenSpec> where_;
};

Tally run_threads(const DnsblLoadOptions& o, const Worker& w, double& elapsed, std::optional<double>& cpu) {
    std::vector<Tally> tallies(static_cast<std::size_t>(o.conns));
    std::vector<std::thread> threads;
    std::atomic<int> warmed{0};
    std::atomic<bool> go{false};
    Clock::time_point start, stop;
    for (auto& t : tallies)
        threads.emplace_back([&, tp = &t] {
            Tally scratch;
            for (int i = 0; i < o.warmup; ++i) w.one(scratch);
            ++warmed;
            while (!go.load()) std::this_thread::yield();
            while (Clock::now() < stop) {
                const auto t0 = Clock::now();
                w.one(*tp);
                tp->samples.push_back(Clock::now() - t0);
            }
        });
    while (warmed.load() < o.conns) std::this_thread::sleep_for(std::chrono::milliseconds(1));
    const auto cpu0 = o.pid ? process_cpu_seconds(*o.pid) : std::nullopt;
    start = Clock::now();
    stop = start + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(o.seconds));
    go = true;
    for (auto& th : threads) th.join();
    elapsed = std::chrono::duration<double>(Clock::now() - start).count();
    const auto cpu1 = o.pid ? process_cpu_seconds(*o.pid) : std::nullopt;
    if (cpu0 && cpu1) cpu = *cpu1 - *cpu0;
    Tally all;
    for (auto& t : tallies) {
        all.samples.insert(all.samples.end(), t.samples.begin(), t.samples.end());
        all.reject += t.reject, all.cont += t.cont, all.tempfail += t.tempfail;
        all.listed += t.listed, all.errors += t.errors;
    }
    return all;
}

int run(const DnsblLoadOptions& o) {
    std::unique_ptr<dns::UnboundResolver> resolver;
    std::unique_ptr<ListLookups> lookups;
    if (o.mode != DnsblLoadMode::Milter) {
        auto r = dns::UnboundResolver::create({{o.dns}, o.timeout});
        if (!r) throw std::runtime_error(r.error().to_string());
        resolver = std::move(*r);
        lookups = std::make_unique<ListLookups>(*resolver, o.zones, o.timeout);
    }
    ClientMix mix(o.cold, o.seed);
    const Worker w(o, mix, lookups.get());
    double elapsed = 0;
    std::optional<double> cpu;
    const Tally t = run_threads(o, w, elapsed, cpu);
    const LatencySummary lat(t.samples);
    const auto n = static_cast<double>(lat.count());
    std::string line = fmt::format(
        "RESULT name={} conns={} sessions={} cps={:.0f} p50_us={:.0f} p90_us={:.0f} p99_us={:.0f} max_us={:.0f} "
        "reject={} continue={} tempfail={} listed={} errors={}",
        o.name, o.conns, lat.count(), n / elapsed, lat.median().count(), lat.percentile(0.9).count(),
        lat.percentile(0.99).count(), lat.percentile(1.0).count(), t.reject, t.cont, t.tempfail, t.listed, t.errors);
    if (cpu && n > 0) line += fmt::format(" cpu_us_per_conn={:.1f}", *cpu * 1e6 / n);
    std::puts(line.c_str());
    return t.errors > 0 ? 1 : 0;
}

}  // namespace
}  // namespace mw::bench

int main(int argc, char** argv) {
    auto o = mw::bench::parse_dnsbl_load_options(std::vector<std::string>(argv + 1, argv + argc));
    if (!o) {
        std::fprintf(stderr, "dnsbl_load: %s\n", o.error().to_string().c_str());
        return 2;
    }
    try {
        return mw::bench::run(*o);
    } catch (const std::exception& e) {
        std::fprintf(stderr, "dnsbl_load: %s\n", e.what());
        return 1;
    }
}
