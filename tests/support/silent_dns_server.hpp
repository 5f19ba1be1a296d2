// SilentDnsServer: a UDP socket and a TCP listener on 127.0.0.1:PORT (the same free port) that
// read DNS queries and never answer, for timeout tests. Runs on a thread of its own; the
// destructor stops it and closes every socket. Counts the UDP datagrams and TCP connections it
// saw, so a test can prove the resolver really asked it. Thread-safe accessors.
#pragma once

#include <atomic>
#include <cstdint>
#include <string>
#include <thread>

#include "common/base/unique_fd.hpp"

namespace mw::test {

class SilentDnsServer {
public:
    /// Binds and starts the thread; throws std::runtime_error if no port could be bound.
    SilentDnsServer();
    ~SilentDnsServer();
    SilentDnsServer(const SilentDnsServer&) = delete;
    SilentDnsServer& operator=(const SilentDnsServer&) = delete;

    uint16_t port() const { return port_; }
    /// "127.0.0.1:PORT", the form dns_servers takes.
    std::string address() const;
    /// UDP datagrams and TCP connections received so far.
    int queries() const { return queries_.load(); }

private:
    void run();

    UniqueFd udp_;
    UniqueFd tcp_;
    UniqueFd stop_;  // eventfd
    uint16_t port_ = 0;
    std::atomic<int> queries_{0};
    std::thread thread_;
};

}  // namespace mw::test
