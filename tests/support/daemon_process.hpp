// DaemonProcess: runs a built daemon binary for a daemon-tier test. Its stderr goes to a file the
// test can read (log()); the constructor waits (bounded) until the daemon's unix socket accepts
// connections, or, in stdio mode, hands the test the other end of a socketpair wired to the
// child's stdin and stdout (as Postfix's spawn(8) does). The destructor sends SIGTERM, waits a
// bounded time, then SIGKILLs: no test leaves a process behind.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <string>
#include <vector>

#include "common/base/unique_fd.hpp"

namespace mw::test {

class DaemonProcess {
public:
    struct Options {
        std::string binary;
        std::vector<std::string> args;
        std::string wait_for_socket;   // unix socket path; empty: do not wait
        bool stdio = false;            // wire stdin/stdout to a socketpair (stdio_fd())
        std::string log_file;          // where stderr goes
        std::chrono::milliseconds start_timeout{10'000};
    };

    explicit DaemonProcess(Options opts);
    ~DaemonProcess();
    DaemonProcess(const DaemonProcess&) = delete;
    DaemonProcess& operator=(const DaemonProcess&) = delete;

    pid_t pid() const { return pid_; }
    /// Our end of the stdio socketpair.
    int stdio_fd() const { return stdio_.get(); }
    /// True while the child has not exited (reaps it if it has).
    bool running();
    void send_signal(int sig) const;
    /// Waits up to `timeout` for the child to exit; returns the wait status, or -1 if it did not.
    int wait_exit(std::chrono::milliseconds timeout);
    /// Everything the daemon wrote to stderr so far.
    std::string log() const;
    /// Waits up to `timeout` for `text` to appear in log().
    bool wait_for_log(const std::string& text, std::chrono::milliseconds timeout) const;

private:
    Options opts_;
    pid_t pid_ = -1;
    int status_ = -1;
    UniqueFd stdio_;
};

/// Runs a program to completion with a time bound; returns exit status and its stdout+stderr.
struct CommandResult {
    int exit_code = -1;
    std::string output;
};
CommandResult run_command(const std::vector<std::string>& argv,
                          std::chrono::milliseconds timeout = std::chrono::seconds(30));

}  // namespace mw::test
