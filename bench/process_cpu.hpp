// CPU time a process has used so far (all its threads): utime + stime of /proc/PID/stat, in
// seconds. Linux only. nullopt when the process is gone or the file cannot be parsed.
#pragma once

#include <sys/types.h>

#include <optional>

namespace mw::bench {

std::optional<double> process_cpu_seconds(pid_t pid);

}  // namespace mw::bench
