// PolicyServer: the socket side of mailwarden-policyd. Serves Postfix policy connections, many
// requests each, until the peer closes, an error, or a stop. Standalone mode accepts on a
// listening socket with one thread per connection (at most max_connections; Postfix opens one per
// smtpd process, 100 by default); spawn(8) mode serves the one connection on stdin/stdout.
// Bad input (see PolicyRequestParser) and a client that stalls in the middle of a request are
// logged and that connection is closed without a reply; other connections are not affected.
// The only file in policyd/ that does socket I/O. Thread-safe.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <unordered_set>
#include <string>

#include "common/base/deadline.hpp"
#include "common/base/unique_fd.hpp"
#include "policyd/policy_answer.hpp"
#include "policyd/policy_request.hpp"

namespace mw::policyd {

struct ServerLimits {
    std::chrono::milliseconds idle_timeout{330'000};   // between requests; stdio mode then exits
    std::chrono::milliseconds request_timeout{10'000}; // to finish a request once it has started
    std::chrono::milliseconds write_timeout{10'000};
    int max_connections = 200;
};

/// Answers one request: the bytes to send and the decision line to log after them. Must not throw.
using RequestHandler = std::function<PolicyAnswer(const PolicyRequest&)>;

class PolicyServer {
public:
    PolicyServer(RequestHandler handler, ServerLimits limits);
    ~PolicyServer();
    PolicyServer(const PolicyServer&) = delete;
    PolicyServer& operator=(const PolicyServer&) = delete;

    /// Accepts and serves until stop(); then waits for connections to finish their request in
    /// flight, at most until the drain deadline given to stop().
    void serve_listener(int listen_fd);
    /// Serves one connection on (in_fd, out_fd) in the calling thread (spawn(8) mode).
    void serve_stdio(int in_fd, int out_fd);
    /// Asks everything to wind down; connections finish the request they are answering.
    void stop(Deadline drain);

    void set_limits(ServerLimits limits);
    int active_connections() const { return active_.load(); }

private:
    // A connection's copy of the limits, refreshed when set_limits() bumped the generation: the
    // per-request path then reads one atomic instead of taking mu_ (shared by every connection).
    struct ConnectionLimits {
        ServerLimits limits;
        uint64_t generation = 0;
    };
    void serve_connection(int in_fd, int out_fd, const std::string& peer);
    bool answer_complete_requests(PolicyRequestParser& parser, int out_fd, const std::string& peer,
                                  const ServerLimits& limits);
    void refresh(ConnectionLimits& mine) const;
    /// Adds (or removes) a connection socket that stop() must wake; false once stopping.
    bool track_socket(int fd, bool add);
    bool write_all(int fd, std::string_view data, const ServerLimits& limits);
    void start_connection_thread(UniqueFd fd);
    bool wait_for_slot();

    RequestHandler handler_;
    mutable std::mutex mu_;
    std::condition_variable cv_;
    ServerLimits limits_;
    std::atomic<uint64_t> limits_generation_{1};
    std::atomic<int> active_{0};
    std::atomic<bool> stopping_{false};
    Deadline drain_ = Deadline::never();
    UniqueFd stop_event_;   // eventfd: readable once stop() was called
    std::unordered_set<int> reading_sockets_;   // connection sockets, for stop()
    uint64_t next_id_ = 0;
};

}  // namespace mw::policyd
