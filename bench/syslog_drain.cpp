// syslog_drain: a stand-in syslog daemon for the benchmark. Binds a unix datagram socket (the
// bench binds it at /dev/log in its private mount namespace), reads and drops every message,
// and at SIGTERM prints how many it read, so that both policy servers log for real, as on a
// mail host (without /dev/log, glibc's syslog() opens and connects a new socket per line).
//
//   syslog_drain PATH
// Limits: messages longer than kMaxMessage bytes are truncated (only counted anyway).
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstring>

#include "common/base/unique_fd.hpp"

namespace {

constexpr std::size_t kMaxMessage = 8192;
constexpr unsigned kBatch = 64;  // messages per recvmmsg call

volatile std::sig_atomic_t g_stop = 0;

void on_term(int) { g_stop = 1; }

}  // namespace

int main(int argc, char** argv) {
    if (argc != 2) {
        std::fprintf(stderr, "usage: syslog_drain PATH\n");
        return 2;
    }
    sockaddr_un addr{};
    addr.sun_family = AF_UNIX;
    if (std::strlen(argv[1]) >= sizeof addr.sun_path) return 2;
    std::strcpy(addr.sun_path, argv[1]);
    ::unlink(argv[1]);
    mw::UniqueFd fd(::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0));
    if (!fd.valid() || ::bind(fd.get(), reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
        std::perror("syslog_drain: bind");
        return 1;
    }
    ::chmod(argv[1], 0666);  // the policy servers run as nobody
    struct sigaction sa{};
    sa.sa_handler = on_term;  // no SA_RESTART: the blocking recvmmsg returns EINTR
    sigaction(SIGTERM, &sa, nullptr);
    static char bufs[kBatch][kMaxMessage];
    iovec iov[kBatch];
    mmsghdr msgs[kBatch]{};
    for (unsigned i = 0; i < kBatch; ++i) {
        iov[i] = {bufs[i], kMaxMessage};
        msgs[i].msg_hdr.msg_iov = &iov[i];
        msgs[i].msg_hdr.msg_iovlen = 1;
    }
    unsigned long long count = 0;
    while (!g_stop) {
        const int n = ::recvmmsg(fd.get(), msgs, kBatch, MSG_WAITFORONE, nullptr);
        if (n > 0) count += static_cast<unsigned>(n);
        else if (n < 0 && errno != EINTR) break;
    }
    std::printf("syslog_drain: %llu messages\n", count);
    ::unlink(argv[1]);
    return 0;
}
