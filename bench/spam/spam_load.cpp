// spam_load: the load generator of bench/spam (run_spam_bench.sh): sends the labelled corpus
// through a spam milter (flags: spam_load_options.hpp; what is measured: spam_load_runner.hpp)
// and prints one line of key=value pairs for the table:
//   RESULT name=... conns=... messages=... skipped=... seconds=... mps=... p50_us=... p99_us=...
//          cpu_ms_per_msg=... rss_mb=... pss_mb=... peak_rss_mb=... procs=... ham=...
//          ham_flagged=... spam=... spam_flagged=... tempfail=... errors=...
// Exit status 0 only when every message got an answer.
#include <fmt/format.h>
#include <fmt/os.h>

#include <csignal>

#include "bench/spam/spam_load_options.hpp"
#include "bench/spam/spam_load_runner.hpp"

namespace {

using namespace mw::bench;

constexpr double kMiB = 1024.0 * 1024.0;

double per_message_ms(double cpu_seconds, std::size_t messages) {
    return cpu_seconds < 0 || messages == 0 ? -1 : cpu_seconds * 1e3 / static_cast<double>(messages);
}

void write_verdicts(const std::string& path, const SpamCorpus& corpus, const SpamLoadResult& r) {
    auto out = fmt::output_file(path);
    const std::size_t all = corpus.messages.size(), n = r.verdicts.size();
    for (std::size_t i = 0; i < n; ++i)   // the same spread as the runner's pick()
        out.print("{}\t{}\n", corpus.messages[i * all / n].name, to_string(r.verdicts[i]));
}

void print_result(const SpamLoadOptions& o, const SpamCorpus& corpus, const SpamLoadResult& r) {
    const auto& l = r.latency;
    const auto& c = r.counts;
    const auto n = l.count();
    fmt::print("RESULT name={} conns={} messages={} skipped={} seconds={:.2f} mps={:.1f} p50_us={:.0f} "
               "p99_us={:.0f} cpu_ms_per_msg={:.2f} rss_mb={:.1f} pss_mb={:.1f} peak_rss_mb={:.1f} "
               "procs={} ham={} ham_flagged={} spam={} spam_flagged={} tempfail={} errors={}\n",
               o.name, o.conns, n, corpus.skipped, r.seconds, static_cast<double>(n) / r.seconds,
               l.median().count(), l.percentile(0.99).count(), per_message_ms(r.server_cpu_seconds, n),
               static_cast<double>(r.after.rss_bytes) / kMiB, static_cast<double>(r.after.pss_bytes) / kMiB,
               static_cast<double>(r.peak_rss_bytes) / kMiB, r.after.processes, c.ham, c.ham_flagged, c.spam,
               c.spam_flagged, c.tempfail, c.errors);
}

int run(const SpamLoadOptions& o) {
    auto corpus = SpamCorpus::load(o.corpus_dir);
    if (!corpus) {
        fmt::print(stderr, "spam_load: {}\n", corpus.error().message);
        return 1;
    }
    auto r = run_spam_load(o, *corpus);
    if (!r) {
        fmt::print(stderr, "spam_load: {}: {}\n", o.name, r.error().message);
        return 1;
    }
    if (!o.verdicts_path.empty()) write_verdicts(o.verdicts_path, *corpus, *r);
    print_result(o, *corpus, *r);
    return r->counts.errors == 0 && r->latency.count() > 0 ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
    std::signal(SIGPIPE, SIG_IGN);
    auto options = parse_spam_load_options(argc, argv);
    if (!options) {
        fmt::print(stderr, "spam_load: {}\n", options.error().message);
        return 2;
    }
    return run(*options);
}
