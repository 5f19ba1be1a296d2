// dkim_load: a load generator for DKIM milters (flags: dkim_load_options.hpp; what is measured:
// dkim_load_runner.hpp). Prints one line of key=value pairs that run_dkim_bench.sh turns into
// its table:
//   RESULT name=... conns=... messages=... errors=... mps=... p50_us=... p99_us=...
//          cpu_ms_per_msg=... signed=... pass=... other=... unexpected=...
// Exit status 0 only when every message got through and, with --expect, each was signed or
// verified as expected.
#include <fmt/format.h>

#include <csignal>

#include "bench/dkim/dkim_load_options.hpp"
#include "bench/dkim/dkim_load_runner.hpp"

namespace {

using namespace mw::bench;

double per_message_ms(double cpu_seconds, std::uint64_t messages) {
    return cpu_seconds < 0 || messages == 0 ? -1 : cpu_seconds * 1e3 / static_cast<double>(messages);
}

int run(const DkimLoadOptions& o) {
    auto message = prepare_message(o);
    if (!message) {
        fmt::print(stderr, "dkim_load: {}: {}\n", o.name, message.error().message);
        return 1;
    }
    auto r = run_dkim_load(o, *message);
    if (!r) {
        fmt::print(stderr, "dkim_load: {}: {}\n", o.name, r.error().message);
        return 1;
    }
    const auto& l = r->latency;
    fmt::print("RESULT name={} conns={} bytes={} messages={} errors={} seconds={:.2f} mps={:.1f} "
               "p50_us={:.0f} p99_us={:.0f} max_us={:.0f} cpu_ms_per_msg={:.3f} {}\n",
               o.name, o.conns, message->to_string().size(), r->messages, r->errors, r->seconds,
               static_cast<double>(r->messages) / r->seconds, l.median().count(), l.percentile(0.99).count(),
               l.percentile(1).count(), per_message_ms(r->server_cpu_seconds, r->messages), r->tally.to_string());
    return r->errors == 0 && r->messages > 0 && r->tally.unexpected == 0 ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
    std::signal(SIGPIPE, SIG_IGN);
    auto options = parse_dkim_load_options(argc, argv);
    if (!options) {
        fmt::print(stderr, "dkim_load: {}\n", options.error().message);
        return 2;
    }
    return run(*options);
}
