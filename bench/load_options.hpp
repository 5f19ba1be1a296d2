// LoadOptions: the command line of policy_load.
//
//   policy_load --name LABEL --unix PATH --pid PID      [load flags]
//   policy_load --name LABEL [load flags] --spawn PROGRAM ARGS...
//   policy_load --name LABEL --first-answer K --spawn PROGRAM ARGS...
//
// load flags: --conns N (1..kMaxConns), --requests N, --seconds S (1..kMaxSeconds, always a
// bound), --mix warm|cold, --seed N, --warmup MESSAGES (per connection, not measured),
// --dns-pid PID (also report that process's CPU per request), --child-stderr FILE.
// Everything after --spawn is the child's argv. Pure; throws nothing: errors are returned.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <string>
#include <vector>

#include "bench/request_mix.hpp"
#include "common/base/result.hpp"

namespace mw::bench {

struct LoadOptions {
    static constexpr unsigned kMaxConns = 256;
    static constexpr double kMaxSeconds = 120;
    static constexpr unsigned kMaxSpawns = 1000;

    std::string name = "run";
    std::string unix_path;               // unix mode
    pid_t server_pid = -1;               // unix mode: the server to measure
    std::vector<std::string> spawn_argv; // spawn mode
    unsigned conns = 1;
    std::uint64_t requests = 0;          // 0: only the time bound
    double seconds = 5;
    CacheMode mix = CacheMode::Warm;
    std::uint64_t seed = 1;
    unsigned warmup = 20;
    pid_t dns_pid = -1;
    std::string child_stderr = "/dev/null";
    unsigned first_answer = 0;           // > 0: measure spawn to first answer this many times
};

Result<LoadOptions> parse_load_options(int argc, char** argv);

}  // namespace mw::bench
