#include "bench/policy_channel.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>

#include <cerrno>
#include <cstring>
#include <thread>

extern char** environ;

namespace mw::bench {

namespace {

std::string errno_text(const std::string& what) { return what + ": " + std::strerror(errno); }

// waitpid with a bound; true once the child is reaped.
bool reap_within(pid_t pid, std::chrono::milliseconds bound) {
    const auto until = std::chrono::steady_clock::now() + bound;
    int status = 0;
    while (std::chrono::steady_clock::now() < until) {
        if (::waitpid(pid, &status, WNOHANG) == pid) return true;
        std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
    return false;
}

int poll_ms(std::chrono::steady_clock::time_point until) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        until - std::chrono::steady_clock::now());
    return left.count() < 0 ? 0 : static_cast<int>(left.count());
}

}  // namespace

Result<PolicyChannel> PolicyChannel::connect_unix(const std::string& path) {
    UniqueFd fd(::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0));
    if (!fd.valid()) return fail(ErrorCode::Io, errno_text("socket"));
    sockaddr_un sa{};
    sa.sun_family = AF_UNIX;
    if (path.size() >= sizeof sa.sun_path) return fail(ErrorCode::TooLong, "socket path too long: " + path);
    std::memcpy(sa.sun_path, path.c_str(), path.size() + 1);
    if (::connect(fd.get(), reinterpret_cast<sockaddr*>(&sa), sizeof sa) != 0)
        return fail(ErrorCode::Io, errno_text("connect " + path));
    return PolicyChannel(std::move(fd), -1);
}

Result<PolicyChannel> PolicyChannel::spawn(const std::vector<std::string>& argv,
                                           const std::string& child_stderr) {
    int sv[2];
    if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) != 0)
        return fail(ErrorCode::Io, errno_text("socketpair"));
    UniqueFd ours(sv[0]), theirs(sv[1]);
    std::vector<char*> args;
    for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_adddup2(&fa, theirs.get(), 0);   // dup2 clears FD_CLOEXEC
    posix_spawn_file_actions_adddup2(&fa, theirs.get(), 1);
    posix_spawn_file_actions_addopen(&fa, 2, child_stderr.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0600);
    pid_t pid = -1;
    const int rc = ::posix_spawn(&pid, args[0], &fa, nullptr, args.data(), environ);
    posix_spawn_file_actions_destroy(&fa);
    if (rc != 0) return fail(ErrorCode::Io, "spawn " + argv[0] + ": " + std::strerror(rc));
    return PolicyChannel(std::move(ours), pid);
}

PolicyChannel::PolicyChannel(PolicyChannel&& other) noexcept
    : fd_(std::move(other.fd_)), child_(std::exchange(other.child_, -1)), buffer_(std::move(other.buffer_)) {}

PolicyChannel::~PolicyChannel() { stop_child(); }

void PolicyChannel::stop_child() {
    if (child_ <= 0) return;
    ::shutdown(fd_.get(), SHUT_WR);   // EOF on the child's stdin: a policy server exits
    if (!reap_within(child_, kExitWait)) {
        ::kill(child_, SIGTERM);
        if (!reap_within(child_, kExitWait)) {
            ::kill(child_, SIGKILL);
            ::waitpid(child_, nullptr, 0);
        }
    }
    child_ = -1;
}

bool PolicyChannel::send_all(const std::string& bytes) {
    std::size_t off = 0;
    while (off < bytes.size()) {
        const ssize_t n = ::send(fd_.get(), bytes.data() + off, bytes.size() - off, MSG_NOSIGNAL);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return false;
        off += static_cast<std::size_t>(n);
    }
    return true;
}

Result<std::string> PolicyChannel::ask(const std::string& request, std::chrono::milliseconds timeout) {
    if (!send_all(request)) return fail(ErrorCode::Io, errno_text("send"));
    const auto until = std::chrono::steady_clock::now() + timeout;
    for (;;) {
        if (auto end = buffer_.find("\n\n"); end != std::string::npos) {
            std::string reply = buffer_.substr(0, end);
            buffer_.erase(0, end + 2);
            return reply;
        }
        if (buffer_.size() > kMaxReply) return fail(ErrorCode::TooLong, "reply over 64 KiB");
        pollfd p{fd_.get(), POLLIN, 0};
        const int ready = ::poll(&p, 1, poll_ms(until));
        if (ready < 0 && errno == EINTR) continue;
        if (ready <= 0) return fail(ErrorCode::Timeout, "no reply in time");
        char buf[4096];
        const ssize_t n = ::read(fd_.get(), buf, sizeof buf);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return fail(ErrorCode::Io, n == 0 ? "server closed the connection" : errno_text("read"));
        buffer_.append(buf, static_cast<std::size_t>(n));
    }
}

}  // namespace mw::bench
