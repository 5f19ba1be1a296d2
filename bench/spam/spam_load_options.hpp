// SpamLoadOptions: the command line of spam_load.
//
//   spam_load --unix PATH --corpus DIR [--name LABEL] [--conns N] [--pid PID]... [--warmup W]
//             [--limit M] [--verdicts FILE]
//
// --conns: parallel milter connections (1..kMaxConns); --pid: a root process of the server
// (repeatable: spamass-milter and spamd); --warmup: messages sent before measuring (the first
// ones of the corpus again); --limit: send only M messages,
// evenly spread over the corpus (0: all); --verdicts: write
// `name<TAB>flagged|clean|rejected|error` per message there. Pure; errors are returned.
#pragma once

#include <sys/types.h>

#include <string>
#include <vector>

#include "common/base/result.hpp"

namespace mw::bench {

struct SpamLoadOptions {
    static constexpr unsigned kMaxConns = 64;
    static constexpr unsigned kMaxWarmup = 10'000;
    static constexpr unsigned kMaxLimit = 1'000'000;

    std::string name = "run";
    std::string unix_path;
    std::string corpus_dir;
    std::vector<pid_t> server_pids;
    unsigned conns = 1;
    unsigned warmup = 20;
    unsigned limit = 0;
    std::string verdicts_path;
};

Result<SpamLoadOptions> parse_spam_load_options(int argc, char** argv);

}  // namespace mw::bench
