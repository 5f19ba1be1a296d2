#include "policyd/connection_input.hpp"

#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>

namespace mw::policyd {

namespace {

bool fd_is_socket(int fd) {
    int type = 0;
    socklen_t len = sizeof type;
    return ::getsockopt(fd, SOL_SOCKET, SO_TYPE, &type, &len) == 0;
}

ConnectionInput::ReadResult from_count(ssize_t n) {
    if (n > 0) return {ConnectionInput::Status::Data, static_cast<std::size_t>(n)};
    if (n == 0) return {ConnectionInput::Status::Eof, 0};
    if (errno == EAGAIN || errno == EWOULDBLOCK) return {ConnectionInput::Status::Timeout, 0};
    return {ConnectionInput::Status::Error, 0};
}

}  // namespace

ConnectionInput::ConnectionInput(int fd, int stop_event_fd)
    : fd_(fd), stop_fd_(stop_event_fd), socket_(fd_is_socket(fd)) {}

ConnectionInput::ReadResult ConnectionInput::read(char* buf, std::size_t size,
                                                  std::chrono::milliseconds timeout) {
    return socket_ ? read_socket(buf, size, timeout) : read_polled(buf, size, timeout);
}

ConnectionInput::ReadResult ConnectionInput::read_socket(char* buf, std::size_t size,
                                                         std::chrono::milliseconds timeout) {
    if (timeout != timeout_set_) {  // changes only between idle and mid-request
        const auto ms = std::max<long long>(timeout.count(), 1);
        const timeval tv{static_cast<time_t>(ms / 1000), static_cast<suseconds_t>((ms % 1000) * 1000)};
        ::setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
        timeout_set_ = timeout;
    }
    for (;;) {
        const ssize_t n = ::recv(fd_, buf, size, 0);
        if (n < 0 && errno == EINTR) continue;
        return from_count(n);
    }
}

ConnectionInput::ReadResult ConnectionInput::read_polled(char* buf, std::size_t size,
                                                         std::chrono::milliseconds timeout) {
    pollfd p[2] = {{fd_, POLLIN, 0}, {stop_fd_, POLLIN, 0}};
    const int ms = static_cast<int>(std::clamp<long long>(timeout.count(), 0, 24LL * 3600 * 1000));
    const int n = ::poll(p, 2, ms);
    if (n < 0) return {errno == EINTR ? Status::Timeout : Status::Error, 0};
    if (n == 0) return {Status::Timeout, 0};
    if (!(p[0].revents & (POLLIN | POLLHUP | POLLERR))) return {Status::Stopped, 0};
    for (;;) {
        const ssize_t r = ::read(fd_, buf, size);
        if (r < 0 && errno == EINTR) continue;
        return from_count(r);
    }
}

}  // namespace mw::policyd
