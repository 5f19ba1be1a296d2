// The keys every daemon has (CONTRACT.md, "Keys every daemon has"); each daemon's table starts
// with these and appends its own.
#pragma once

#include <string_view>

#include "common/config/param.hpp"

namespace mw::config {

/// The shared rows; `listen_default` is the daemon's own socket.
ParamTable common_params(std::string_view listen_default);

}  // namespace mw::config
