// ConnectionInput: the read side of one policy connection, with the idle/request timeouts.
// On a socket (every Postfix connection, also a spawn(8) child's stdin) it blocks in recv() with
// SO_RCVTIMEO: one system call per request, as cheap as a server can be; PolicyServer::stop()
// wakes it with shutdown(SHUT_RD). On anything else (a pipe) it polls the fd together with the
// server's stop event. Not thread-safe: one reader per connection.
#pragma once

#include <chrono>
#include <cstddef>

namespace mw::policyd {

class ConnectionInput {
public:
    enum class Status { Data, Eof, Timeout, Stopped, Error };
    struct ReadResult {
        Status status = Status::Error;
        std::size_t size = 0;
    };

    ConnectionInput(int fd, int stop_event_fd);

    bool is_socket() const { return socket_; }
    /// Reads what is there, waiting at most `timeout` for the first byte.
    ReadResult read(char* buf, std::size_t size, std::chrono::milliseconds timeout);

private:
    ReadResult read_socket(char* buf, std::size_t size, std::chrono::milliseconds timeout);
    ReadResult read_polled(char* buf, std::size_t size, std::chrono::milliseconds timeout);

    int fd_;
    int stop_fd_;
    bool socket_;
    std::chrono::milliseconds timeout_set_{-1};   // SO_RCVTIMEO now in force
};

}  // namespace mw::policyd
