// Puts a daemon in the background when it was started without -f: fork, setsid, fork again (so
// it can never reacquire a terminal), chdir /, and stdin/stdout/stderr to /dev/null. Call after
// the sockets are bound (so bind errors still reach the terminal) and before any thread starts
// (fork keeps only the calling thread). Start-up code.
#pragma once

#include "common/base/result.hpp"

namespace mw::daemon {

Result<bool> detach_from_terminal();

}  // namespace mw::daemon
