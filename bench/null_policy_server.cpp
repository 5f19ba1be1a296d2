// null_policy_server: a policy server that does nothing: it reads each request up to its empty
// line and answers "action=DUNNO". The ceiling of the harness: what the load generator, the
// kernel and the protocol cost without any policy work.
//
//   null_policy_server stdio            one connection on stdin/stdout (as a spawn(8) child);
//                                       exits at EOF
//   null_policy_server unix:PATH        listens on PATH (replacing a stale socket), one thread
//                                       per connection, at most kMaxConnections at once; runs
//                                       until killed (SIGTERM)
// Limits: a request may hold at most kMaxRequest bytes (limits::kMaxPolicyRequest), else the
// connection is closed.
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <string>
#include <string_view>
#include <thread>

#include "common/base/limits.hpp"
#include "common/base/unique_fd.hpp"

namespace {

constexpr std::size_t kMaxRequest = mw::limits::kMaxPolicyRequest;
constexpr int kMaxConnections = 1024;
constexpr std::string_view kReply = "action=DUNNO\n\n";

std::atomic<int> g_connections{0};

bool write_all(int fd, std::string_view bytes) {
    while (!bytes.empty()) {
        const ssize_t n = ::write(fd, bytes.data(), bytes.size());
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return false;
        bytes.remove_prefix(static_cast<std::size_t>(n));
    }
    return true;
}

// Answers every complete request in `buf` and drops it; false when the peer is gone.
bool answer_complete(int out, std::string& buf, std::size_t& scanned) {
    std::string replies;
    std::size_t start = 0;
    for (auto end = buf.find("\n\n", scanned); end != std::string::npos; end = buf.find("\n\n", start)) {
        replies += kReply;
        start = end + 2;
    }
    buf.erase(0, start);
    scanned = buf.empty() ? 0 : buf.size() - 1;   // a "\n" at the end may start the next "\n\n"
    return replies.empty() || write_all(out, replies);
}

void serve(int in, int out) {
    std::string buf;
    std::size_t scanned = 0;
    char chunk[16384];
    for (;;) {
        const ssize_t n = ::read(in, chunk, sizeof chunk);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return;
        buf.append(chunk, static_cast<std::size_t>(n));
        if (!answer_complete(out, buf, scanned) || buf.size() > kMaxRequest) return;
    }
}

int listen_unix(const std::string& path) {
    mw::UniqueFd fd(::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0));
    sockaddr_un sa{};
    sa.sun_family = AF_UNIX;
    if (!fd.valid() || path.size() >= sizeof sa.sun_path) return -1;
    std::memcpy(sa.sun_path, path.c_str(), path.size() + 1);
    ::unlink(path.c_str());
    if (::bind(fd.get(), reinterpret_cast<sockaddr*>(&sa), sizeof sa) != 0 || ::listen(fd.get(), 128) != 0)
        return -1;
    return fd.release();
}

int serve_unix(const std::string& path) {
    mw::UniqueFd listener(listen_unix(path));
    if (!listener.valid()) {
        std::fprintf(stderr, "null_policy_server: cannot listen on %s: %s\n", path.c_str(), std::strerror(errno));
        return 1;
    }
    for (;;) {
        mw::UniqueFd conn(::accept4(listener.get(), nullptr, nullptr, SOCK_CLOEXEC));
        if (!conn.valid()) {
            if (errno == EINTR || errno == ECONNABORTED) continue;
            return 1;
        }
        if (g_connections.load() >= kMaxConnections) continue;   // closes it
        ++g_connections;
        std::thread([c = std::move(conn)] {
            serve(c.get(), c.get());
            --g_connections;
        }).detach();
    }
}

}  // namespace

int main(int argc, char** argv) {
    std::signal(SIGPIPE, SIG_IGN);
    const std::string spec = argc == 2 ? argv[1] : "";
    if (spec == "stdio") {
        serve(STDIN_FILENO, STDOUT_FILENO);
        return 0;
    }
    if (spec.rfind("unix:", 0) == 0) return serve_unix(spec.substr(5));
    std::fprintf(stderr, "usage: null_policy_server stdio | unix:PATH\n");
    return 2;
}
