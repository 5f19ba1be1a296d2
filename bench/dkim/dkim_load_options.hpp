// DkimLoadOptions: the command line of dkim_load.
//
//   dkim_load --name LABEL --unix PATH --pid PID --mode sign|verify [flags]
//
// flags: --size BYTES (message size, MessageShape bounds), --from ADDRESS (author and envelope
// sender: its domain picks the key), --conns N (1..kMaxConns parallel connections),
// --messages M (per connection; 0: only the time bound), --seconds S (0.1..kMaxSeconds, always a
// bound), --warmup W (messages per connection before measuring), --per-session K (messages per
// milter connection, 1..kMaxPerSession; Postfix opens one per SMTP session), --presign PATH
// (verify mode: have the milter on PATH sign the message first), --expect N (signatures added,
// or dkim=pass results, per message; 0: no check). Pure; errors are returned.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <string>

#include "bench/dkim/bench_message.hpp"
#include "bench/dkim/dkim_tally.hpp"
#include "common/base/result.hpp"

namespace mw::bench {

struct DkimLoadOptions {
    static constexpr unsigned kMaxConns = 256;
    static constexpr double kMaxSeconds = 300;
    static constexpr unsigned kMaxPerSession = 1000;
    static constexpr unsigned kMaxExpect = 16;
    static constexpr std::uint64_t kMaxMessages = 1'000'000'000;
    static constexpr unsigned kMaxWarmup = 10'000;

    std::string name = "run";
    std::string unix_path;
    pid_t server_pid = -1;   // the server whose CPU is measured; -1: none
    LoadMode mode = LoadMode::Sign;
    MessageShape shape;
    unsigned conns = 1;
    std::uint64_t messages = 0;
    double seconds = 5;
    unsigned warmup = 5;
    unsigned per_session = 1;
    std::string presign_path;
    unsigned expect = 0;
};

Result<DkimLoadOptions> parse_dkim_load_options(int argc, char** argv);

}  // namespace mw::bench
