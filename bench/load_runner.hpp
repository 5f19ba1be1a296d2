// The two measurements of policy_load.
//
// run_load: N connections (unix) or N spawned children (stdio over a socketpair, one per
// connection as spawn(8) does), one thread each, closed loop: send a request, wait for its
// reply, send the next, as smtpd does. Each connection first sends `warmup` messages (not
// measured), then all start together and run until `requests` requests (if non-zero) or
// `seconds` have passed, whichever is first. Server CPU is utime+stime of the server
// process(es) across the measured phase only.
//
// run_first_answer: K times, spawn the child and time from just before posix_spawn to the end
// of its first reply (one warm-mix request); the child is then sent EOF and reaped (bounded).
#pragma once

#include <array>
#include <cstdint>

#include "bench/latency_summary.hpp"
#include "bench/load_options.hpp"
#include "common/base/result.hpp"

namespace mw::bench {

/// Replies by kind: PREPEND, DUNNO, 5xx/REJECT, 4xx/DEFER*, anything else.
struct ActionTally {
    std::array<std::uint64_t, 5> counts{};
    void add(const std::string& reply);
    void merge(const ActionTally& other);
    std::string to_string() const;
};

struct LoadResult {
    std::uint64_t requests = 0;
    std::uint64_t errors = 0;
    double seconds = 0;
    double server_cpu_seconds = -1;   // < 0: not measured
    double dns_cpu_seconds = -1;
    LatencySummary latency{{}};
    ActionTally actions;
};

struct FirstAnswerResult {
    LatencySummary latency{{}};
    unsigned failures = 0;
};

Result<LoadResult> run_load(const LoadOptions& options);
Result<FirstAnswerResult> run_first_answer(const LoadOptions& options);

}  // namespace mw::bench
