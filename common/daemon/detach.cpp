#include "common/daemon/detach.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include <fmt/format.h>

namespace mw::daemon {

namespace {

Error sys_error(const char* what) {
    return Error{ErrorCode::Io, fmt::format("{}: {}", what, std::strerror(errno)), {}};
}

// Parent processes leave without running atexit handlers or flushing shared stdio buffers.
Result<bool> fork_and_leave_parent() {
    const pid_t pid = fork();
    if (pid < 0) return fail(sys_error("fork"));
    if (pid > 0) _exit(0);
    return true;
}

}  // namespace

Result<bool> detach_from_terminal() {
    if (auto r = fork_and_leave_parent(); !r) return r;
    if (setsid() < 0) return fail(sys_error("setsid"));
    if (auto r = fork_and_leave_parent(); !r) return r;
    if (chdir("/") != 0) return fail(sys_error("chdir /"));
    const int null = open("/dev/null", O_RDWR | O_CLOEXEC);
    if (null < 0) return fail(sys_error("open /dev/null"));
    for (int fd = 0; fd <= 2; ++fd)
        if (dup2(null, fd) < 0) return fail(sys_error("dup2"));
    if (null > 2) close(null);
    return true;
}

}  // namespace mw::daemon
