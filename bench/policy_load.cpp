// policy_load: a load generator for Postfix policy servers (see load_options.hpp for flags and
// load_runner.hpp for what is measured). Prints one line of key=value pairs that
// run_policyd_bench.sh turns into a table:
//   RESULT name=... conns=... requests=... rps=... p50_us=... p99_us=... cpu_us_per_req=...
//   SPAWN name=... spawns=... median_ms=... min_ms=... max_ms=... failures=...
#include <fmt/format.h>

#include <csignal>

#include "bench/load_options.hpp"
#include "bench/load_runner.hpp"

namespace {

using namespace mw::bench;

double per_request_us(double cpu_seconds, std::uint64_t requests) {
    return cpu_seconds < 0 || requests == 0 ? -1 : cpu_seconds * 1e6 / static_cast<double>(requests);
}

int print_load(const LoadOptions& o) {
    auto r = run_load(o);
    if (!r) {
        fmt::print(stderr, "policy_load: {}\n", r.error().message);
        return 1;
    }
    fmt::print("RESULT name={} conns={} requests={} errors={} seconds={:.2f} rps={:.0f} p50_us={:.0f} "
               "p99_us={:.0f} p999_us={:.0f} max_us={:.0f} cpu_us_per_req={:.1f} dns_cpu_us_per_req={:.1f} actions={}\n",
               o.name, o.conns, r->requests, r->errors, r->seconds,
               static_cast<double>(r->requests) / r->seconds, r->latency.median().count(),
               r->latency.percentile(0.99).count(), r->latency.percentile(0.999).count(),
               r->latency.percentile(1).count(), per_request_us(r->server_cpu_seconds, r->requests),
               per_request_us(r->dns_cpu_seconds, r->requests), r->actions.to_string());
    return r->errors == 0 && r->requests > 0 ? 0 : 1;
}

int print_first_answer(const LoadOptions& o) {
    auto r = run_first_answer(o);
    if (!r) {
        fmt::print(stderr, "policy_load: {}\n", r.error().message);
        return 1;
    }
    const auto& l = r->latency;
    fmt::print("SPAWN name={} spawns={} median_ms={:.1f} min_ms={:.1f} max_ms={:.1f} failures={}\n", o.name,
               l.count(), l.median().count() / 1000, l.percentile(0).count() / 1000,
               l.percentile(1).count() / 1000, r->failures);
    return r->failures == 0 && l.count() > 0 ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
    std::signal(SIGPIPE, SIG_IGN);
    auto options = mw::bench::parse_load_options(argc, argv);
    if (!options) {
        fmt::print(stderr, "policy_load: {}\n", options.error().message);
        return 2;
    }
    return options->first_answer > 0 ? print_first_answer(*options) : print_load(*options);
}
