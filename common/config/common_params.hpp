// The keys every daemon has (CONTRACT.md, "Keys every daemon has"); each daemon's table starts
// with these and appends its own.
#pragma once

#include <string_view>

#include "common/config/param.hpp"

namespace mw::config {

/// The shared rows; `listen_default` is the daemon's own socket, `listen_summary` says which
/// address forms it takes.
ParamTable common_params(std::string_view listen_default,
                         std::string_view listen_summary = "Where to listen: unix:PATH or inet:HOST:PORT");

/// A milter's whole table: the shared rows, `own`, then the rows every milter ends with
/// (failure_action, shutdown_timeout).
ParamTable milter_params(std::string_view listen_default, const ParamTable& own);

}  // namespace mw::config
