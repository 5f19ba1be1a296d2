#include "tests/support/silent_dns_server.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>

#include <array>
#include <stdexcept>
#include <vector>

#include "tests/support/loopback_socket.hpp"

namespace mw::test {

namespace {

constexpr int kPortAttempts = 20;

}  // namespace

SilentDnsServer::SilentDnsServer() : stop_(::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK)) {
    for (int attempt = 0; attempt < kPortAttempts && port_ == 0; ++attempt) {
        udp_.reset(::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0));
        tcp_.reset(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0));
        if (!udp_.valid() || !tcp_.valid() || !bind_loopback(udp_.get(), 0)) continue;
        uint16_t port = bound_port(udp_.get());
        if (port != 0 && bind_loopback(tcp_.get(), port) && ::listen(tcp_.get(), 16) == 0)
            port_ = port;
    }
    if (port_ == 0 || !stop_.valid()) throw std::runtime_error("SilentDnsServer: cannot bind");
    thread_ = std::thread([this] { run(); });
}

SilentDnsServer::~SilentDnsServer() {
    uint64_t one = 1;
    [[maybe_unused]] auto n = ::write(stop_.get(), &one, sizeof one);
    thread_.join();
}

std::string SilentDnsServer::address() const { return "127.0.0.1:" + std::to_string(port_); }

void SilentDnsServer::run() {
    std::vector<UniqueFd> conns;  // accepted and held open, read from, never answered
    std::array<char, 4096> buf{};
    while (true) {
        std::vector<pollfd> fds = {
            {stop_.get(), POLLIN, 0}, {udp_.get(), POLLIN, 0}, {tcp_.get(), POLLIN, 0}};
        for (const auto& c : conns) fds.push_back({c.get(), POLLIN, 0});
        if (::poll(fds.data(), fds.size(), -1) < 0) continue;
        if (fds[0].revents) return;
        if (fds[1].revents & POLLIN && ::recv(udp_.get(), buf.data(), buf.size(), 0) >= 0)
            ++queries_;
        if (fds[2].revents & POLLIN) {
            UniqueFd c(::accept4(tcp_.get(), nullptr, nullptr, SOCK_CLOEXEC | SOCK_NONBLOCK));
            if (c.valid()) {
                ++queries_;
                conns.push_back(std::move(c));
            }
        }
        // Read and drop; a connection the client closed is closed here too.
        for (std::size_t i = fds.size(); i-- > 3;) {
            if (!fds[i].revents) continue;
            if (::recv(fds[i].fd, buf.data(), buf.size(), 0) <= 0)
                conns.erase(conns.begin() + static_cast<long>(i - 3));
        }
    }
}

}  // namespace mw::test
