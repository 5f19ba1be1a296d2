// PolicyChannel: the client end of one Postfix policy connection, as smtpd holds it. Either a
// unix-socket connection to a standalone server, or a spawned child whose stdin and stdout are
// one end of a socketpair (what spawn(8) gives a policy server). ask() writes one request and
// reads one reply (up to the empty line).
// Limits: a reply is at most kMaxReply bytes; every read waits at most the timeout given.
// A spawned child is stopped by the destructor: its socket is shut down (EOF on stdin, which
// makes a policy server exit), SIGTERM after kExitWait, SIGKILL after another kExitWait.
// Not thread-safe: one thread per channel.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "common/base/result.hpp"
#include "common/base/unique_fd.hpp"

namespace mw::bench {

class PolicyChannel {
public:
    static constexpr std::size_t kMaxReply = 64 * 1024;
    static constexpr std::chrono::milliseconds kExitWait{3000};

    static Result<PolicyChannel> connect_unix(const std::string& path);
    /// argv[0] is the program path; stderr of the child goes to `child_stderr` (a file name).
    static Result<PolicyChannel> spawn(const std::vector<std::string>& argv,
                                       const std::string& child_stderr);

    PolicyChannel(PolicyChannel&& other) noexcept;
    PolicyChannel& operator=(PolicyChannel&&) = delete;
    PolicyChannel(const PolicyChannel&) = delete;
    PolicyChannel& operator=(const PolicyChannel&) = delete;
    ~PolicyChannel();

    /// Sends `request` (ending in the empty line) and returns the reply without its empty line.
    Result<std::string> ask(const std::string& request, std::chrono::milliseconds timeout);
    /// The spawned child's pid, or -1 for a unix connection.
    pid_t child_pid() const { return child_; }

private:
    PolicyChannel(UniqueFd fd, pid_t child) : fd_(std::move(fd)), child_(child) {}
    bool send_all(const std::string& bytes);
    void stop_child();

    UniqueFd fd_;
    pid_t child_ = -1;
    std::string buffer_;   // bytes read past the last reply
};

}  // namespace mw::bench
