// run_spam_load: every corpus message (or --limit of them, evenly spread) through a milter, over N
// connections, one thread each, closed loop as Postfix's smtpd drives a content milter: one SMTP
// session per message (negotiate, CONNECT, HELO, MAIL, RCPT, DATA, headers, body in 65535-byte
// chunks, end of message, QUIT), then the next message from a shared cursor. `warmup` messages
// go first, one at a time, unmeasured. Latency is per message, client side, whole session.
// Server cost is over its whole process tree (ProcessTree): CPU across the measured phase; RSS
// and PSS once the run is over; peak RSS sampled every kSampleInterval during it.
// Blocks until done; owns its threads.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include "bench/latency_summary.hpp"
#include "bench/spam/process_tree.hpp"
#include "bench/spam/spam_corpus.hpp"
#include "bench/spam/spam_load_options.hpp"
#include "bench/spam/spam_verdict.hpp"
#include "common/base/result.hpp"

namespace mw::bench {

inline constexpr std::chrono::milliseconds kSampleInterval{200};

struct VerdictCounts {
    std::uint64_t ham = 0, ham_flagged = 0, spam = 0, spam_flagged = 0;   // flagged: rejects too
    std::uint64_t tempfail = 0, errors = 0;
};

struct SpamLoadResult {
    double seconds = 0;
    LatencySummary latency{{}};
    VerdictCounts counts;
    double server_cpu_seconds = -1;   // < 0: no --pid
    TreeUsage after;                  // memory once the run is over
    std::size_t peak_rss_bytes = 0;
    std::vector<SpamVerdict> verdicts;   // per message sent: the corpus, or the --limit spread
};

Result<SpamLoadResult> run_spam_load(const SpamLoadOptions& options, const SpamCorpus& corpus);

}  // namespace mw::bench
