// Opens a listening socket for a ListenSpec: unix sockets get socket_mode and socket_owner and
// replace a stale socket file only after checking that nothing listens on it any more (another
// live instance is an error, never silently taken over); inet sockets set SO_REUSEADDR.
// Start-up code: errors are Results with errno text.
#pragma once

#include <string>

#include "common/base/result.hpp"
#include "common/base/unique_fd.hpp"
#include "common/daemon/listen_spec.hpp"

namespace mw::daemon {

struct SocketOptions {
    unsigned mode = 0660;
    std::string owner = "postfix:postfix";   // applied only when running as root
    int backlog = 128;
};

Result<UniqueFd> open_listener(const ListenSpec& spec, const SocketOptions& opts);

/// chown()s `path` to socket_owner ("user:group" or "user"); does nothing unless root.
Result<bool> set_socket_owner(const std::string& path, const std::string& owner);

/// True if a process accepts connections on the unix socket at `path`.
bool unix_socket_is_live(const std::string& path);

/// Connects to our own listening socket and hangs up at once: wakes a listener blocked in
/// poll(2) (libmilter's re-checks its stop flag only every few seconds otherwise). A wildcard
/// inet address is reached through loopback. Best effort; never blocks for long.
void wake_listener(const ListenSpec& spec);

}  // namespace mw::daemon
