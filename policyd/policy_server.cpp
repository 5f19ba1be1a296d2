#include "policyd/policy_server.hpp"

#include <poll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <thread>

#include <fmt/format.h>

#include "common/log/logger.hpp"
#include "policyd/connection_input.hpp"

namespace mw::policyd {

namespace {

constexpr std::size_t kReadChunk = 16 * 1024;

int to_poll_ms(std::chrono::milliseconds d) {
    return static_cast<int>(std::clamp<long long>(d.count(), 0, 24LL * 3600 * 1000));
}

}  // namespace

PolicyServer::PolicyServer(RequestHandler handler, ServerLimits limits)
    : handler_(std::move(handler)), limits_(limits), stop_event_(::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK)) {}

PolicyServer::~PolicyServer() {
    stop(Deadline::after(std::chrono::seconds(0)));
    std::unique_lock lock(mu_);
    // Connection threads hold `this`: wait until every one has left (stop() woke them all).
    cv_.wait(lock, [&] { return active_.load() == 0; });
}

void PolicyServer::set_limits(ServerLimits limits) {
    std::lock_guard lock(mu_);
    limits_ = limits;
    limits_generation_.fetch_add(1, std::memory_order_release);
}

void PolicyServer::refresh(ConnectionLimits& mine) const {
    if (mine.generation == limits_generation_.load(std::memory_order_acquire)) return;
    std::lock_guard lock(mu_);
    mine.limits = limits_;
    mine.generation = limits_generation_.load(std::memory_order_relaxed);
}

void PolicyServer::stop(Deadline drain) {
    {
        std::lock_guard lock(mu_);
        if (stopping_) return;
        drain_ = drain;
        stopping_ = true;
        // Wake every reader blocked in recv(): it sees end of input. Writes still work, so a
        // request being answered right now still gets its reply.
        for (int fd : reading_sockets_) ::shutdown(fd, SHUT_RD);
    }
    const uint64_t one = 1;
    [[maybe_unused]] auto n = ::write(stop_event_.get(), &one, sizeof one);
    cv_.notify_all();
}

bool PolicyServer::track_socket(int fd, bool add) {
    std::lock_guard lock(mu_);
    if (!add) {
        reading_sockets_.erase(fd);
        return true;
    }
    if (stopping_) return false;
    reading_sockets_.insert(fd);
    return true;
}

bool PolicyServer::write_all(int fd, std::string_view data, const ServerLimits& lim) {
    const auto deadline = Deadline::after(lim.write_timeout);
    while (!data.empty()) {
        const ssize_t n = ::send(fd, data.data(), data.size(), MSG_NOSIGNAL | MSG_DONTWAIT);
        if (n > 0) {
            data.remove_prefix(static_cast<std::size_t>(n));
            continue;
        }
        if (n < 0 && errno == ENOTSOCK) {  // stdio mode: a pipe, not a socket
            const ssize_t w = ::write(fd, data.data(), data.size());
            if (w <= 0) return false;
            data.remove_prefix(static_cast<std::size_t>(w));
            continue;
        }
        if (n < 0 && errno != EAGAIN && errno != EINTR) return false;
        pollfd p{fd, POLLOUT, 0};
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline.remaining());
        if (left.count() <= 0 || ::poll(&p, 1, to_poll_ms(left)) <= 0) return false;
    }
    return true;
}

bool PolicyServer::answer_complete_requests(PolicyRequestParser& parser, int out_fd,
                                            const std::string& peer, const ServerLimits& limits) {
    // In place: the handler reads the parser's own slot, no copy of the request.
    for (const PolicyRequest* r = parser.peek(); r; r = parser.peek()) {
        const PolicyAnswer answer = handler_(*r);
        const bool written = write_all(out_fd, answer.reply, limits);
        parser.pop();
        // After the send: smtpd waits for the reply, not for syslog.
        if (!answer.decision_line.empty()) log::write(log::Level::Info, answer.decision_line);
        if (!written) {
            log::warning("{}: cannot write the reply; closing", peer);
            return false;
        }
    }
    if (const PolicyRequestError* e = parser.error()) {
        log::warning("{}: bad policy request: {}; closing the connection", peer, e->message);
        return false;
    }
    return true;
}

void PolicyServer::serve_connection(int in_fd, int out_fd, const std::string& peer) {
    ConnectionInput in(in_fd, stop_event_.get());
    if (in.is_socket() && !track_socket(in_fd, true)) return;
    PolicyRequestParser parser;
    char buf[kReadChunk];
    ConnectionLimits mine;
    while (!(stopping_ && parser.idle())) {
        refresh(mine);
        const ServerLimits& lim = mine.limits;
        const auto timeout = parser.idle() ? lim.idle_timeout : lim.request_timeout;
        const auto r = in.read(buf, sizeof buf, timeout);
        if (r.status == ConnectionInput::Status::Data) {
            parser.feed(std::string_view(buf, r.size));
            if (!answer_complete_requests(parser, out_fd, peer, lim)) break;
            continue;
        }
        if (r.status == ConnectionInput::Status::Timeout && !parser.idle())
            log::warning("{}: client stalled in the middle of a request for {}s; closing", peer,
                         timeout.count() / 1000);
        else if (r.status == ConnectionInput::Status::Timeout)
            log::debug("{}: idle for {}s; closing", peer, timeout.count() / 1000);
        else if (!parser.idle() && !stopping_)
            log::warning("{}: connection closed in the middle of a request", peer);
        if (r.status != ConnectionInput::Status::Stopped) break;
    }
    // Forget the fd before its owner closes it, so stop() never shuts down a reused number.
    if (in.is_socket()) track_socket(in_fd, false);
}

void PolicyServer::serve_stdio(int in_fd, int out_fd) { serve_connection(in_fd, out_fd, "stdio"); }

bool PolicyServer::wait_for_slot() {
    std::unique_lock lock(mu_);
    if (active_.load() >= limits_.max_connections)
        log::warning("connection limit of {} reached; new connections wait", limits_.max_connections);
    cv_.wait(lock, [&] { return stopping_ || active_.load() < limits_.max_connections; });
    return !stopping_;
}

void PolicyServer::start_connection_thread(UniqueFd fd) {
    ++active_;
    const std::string peer = fmt::format("connection {}", ++next_id_);
    std::thread([this, fd = std::move(fd), peer]() mutable {
        serve_connection(fd.get(), fd.get(), peer);
        fd.reset();
        std::lock_guard lock(mu_);
        --active_;
        cv_.notify_all();
    }).detach();
}

void PolicyServer::serve_listener(int listen_fd) {
    while (wait_for_slot()) {
        pollfd p[2] = {{listen_fd, POLLIN, 0}, {stop_event_.get(), POLLIN, 0}};
        if (::poll(p, 2, to_poll_ms(std::chrono::hours(1))) <= 0) continue;
        if (p[1].revents & POLLIN) break;
        UniqueFd fd(::accept4(listen_fd, nullptr, nullptr, SOCK_CLOEXEC));
        if (!fd.valid()) {
            if (errno != EINTR && errno != EAGAIN && errno != ECONNABORTED)
                log::warning("accept: {}", std::strerror(errno));
            continue;
        }
        start_connection_thread(std::move(fd));
    }
    std::unique_lock lock(mu_);
    cv_.wait_until(lock, drain_.at(), [&] { return active_.load() == 0; });
    if (active_.load() > 0) log::warning("{} connections still open at the drain deadline", active_.load());
}

}  // namespace mw::policyd
