// Small socket helpers for the loopback test servers: bind a socket to 127.0.0.1:PORT (0 = any
// free port) and read back the port bound. Test-only; thread-safe (no state).
#pragma once

#include <netinet/in.h>

#include <cstdint>

namespace mw::test {

/// 127.0.0.1:port as a sockaddr_in.
sockaddr_in loopback_address(uint16_t port);
/// Binds `fd` to 127.0.0.1:port; false on failure (errno set).
bool bind_loopback(int fd, uint16_t port);
/// The local port `fd` is bound to, or 0.
uint16_t bound_port(int fd);

}  // namespace mw::test
