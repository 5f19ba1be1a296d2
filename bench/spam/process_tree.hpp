// ProcessTree: what a server costs, counted over all its processes: the root processes given and
// every live descendant (spamd's children, rspamd's workers, the spamc that spamass-milter runs
// per message), found by scanning /proc for parent links. CPU is utime+stime plus the reaped
// children's cutime+cstime of each live process, so processes that exited during the run are
// still counted (once: their time moves into their parent's counters when reaped). Memory is
// the sum of RSS (statm; shared pages counted in every process, as `ps` shows them) and of PSS
// (smaps_rollup; shared pages split between their users: what the processes really hold).
// Linux only. Reads /proc; not thread-safe (one instance per thread).
#pragma once

#include <sys/types.h>

#include <cstddef>
#include <vector>

namespace mw::bench {

struct TreeUsage {
    double cpu_seconds = 0;
    std::size_t rss_bytes = 0;
    std::size_t pss_bytes = 0;   // 0 when not asked for (with_pss false) or not readable
    std::size_t processes = 0;
};

class ProcessTree {
public:
    explicit ProcessTree(std::vector<pid_t> roots) : roots_(std::move(roots)) {}

    /// The roots and their live descendants, now.
    std::vector<pid_t> members() const;
    /// CPU and memory of members(); PSS read only when with_pss (it costs a page-table walk).
    TreeUsage usage(bool with_pss) const;

private:
    std::vector<pid_t> roots_;
};

}  // namespace mw::bench
