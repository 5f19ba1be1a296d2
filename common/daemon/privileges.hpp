// Drops root privileges to the configured `user` after the sockets are bound (the OpenSMTPD
// ritual at the end of set-up). After this returns Ok when started as root, the process can no
// longer regain root; when not started as root it does nothing.
#pragma once

#include <string>

#include "common/base/result.hpp"

namespace mw::daemon {

/// Returns true if privileges were dropped, false if not running as root.
Result<bool> drop_privileges(const std::string& user);

}  // namespace mw::daemon
