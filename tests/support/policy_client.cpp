#include "tests/support/policy_client.hpp"

#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cstring>
#include <stdexcept>

namespace mw::test {

PolicyClient::PolicyClient(const std::string& socket_path)
    : owned_(::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)) {
    sockaddr_un sa{};
    sa.sun_family = AF_UNIX;
    std::strncpy(sa.sun_path, socket_path.c_str(), sizeof sa.sun_path - 1);
    if (::connect(owned_.get(), reinterpret_cast<sockaddr*>(&sa), sizeof sa) != 0)
        throw std::runtime_error("connect " + socket_path + ": " + std::strerror(errno));
}

PolicyClient PolicyClient::from_fd(int fd) {
    PolicyClient c;
    c.borrowed_ = fd;
    return c;
}

std::string PolicyClient::request(const std::map<std::string, std::string>& attrs) {
    std::string out = "request=smtpd_access_policy\n";
    for (const auto& [k, v] : attrs) out += k + "=" + v + "\n";
    return out + "\n";
}

bool PolicyClient::send(const std::string& bytes) {
    std::size_t off = 0;
    while (off < bytes.size()) {
        const ssize_t n = ::send(fd(), bytes.data() + off, bytes.size() - off, MSG_NOSIGNAL);
        if (n <= 0) return false;
        off += static_cast<std::size_t>(n);
    }
    return true;
}

std::optional<std::string> PolicyClient::read_reply(std::chrono::milliseconds timeout) {
    const auto until = std::chrono::steady_clock::now() + timeout;
    for (;;) {
        if (auto end = buffer_.find("\n\n"); end != std::string::npos) {
            std::string reply = buffer_.substr(0, end);
            buffer_.erase(0, end + 2);
            return reply;
        }
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
            until - std::chrono::steady_clock::now());
        pollfd p{fd(), POLLIN, 0};
        if (left.count() <= 0 || ::poll(&p, 1, static_cast<int>(left.count())) <= 0) return std::nullopt;
        char buf[4096];
        const ssize_t n = ::read(fd(), buf, sizeof buf);
        if (n <= 0) return std::nullopt;
        buffer_.append(buf, static_cast<std::size_t>(n));
    }
}

std::optional<std::string> PolicyClient::ask(const std::map<std::string, std::string>& attrs) {
    if (!send(request(attrs))) return std::nullopt;
    return read_reply();
}

bool PolicyClient::closed_by_server(std::chrono::milliseconds timeout) {
    pollfd p{fd(), POLLIN, 0};
    if (::poll(&p, 1, static_cast<int>(timeout.count())) <= 0) return false;
    char buf[256];
    return ::read(fd(), buf, sizeof buf) == 0;
}

}  // namespace mw::test
