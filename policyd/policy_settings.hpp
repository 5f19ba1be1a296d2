// Turns a checked Config (params.hpp's table) into the plain option structs the policy core and
// the server use, and checks what the types alone cannot (listen address, reject policies).
// Pure; thread-compatible.
#pragma once

#include "common/base/result.hpp"
#include "common/config/config.hpp"
#include "policyd/policy_options.hpp"
#include "policyd/policy_server.hpp"

namespace mw::policyd {

/// Semantic checks for -t, start-up and reload; errors carry FILE:LINE of the key.
Result<bool> check_policyd_config(const config::Config& c);

PolicyOptions policy_options_from(const config::Config& c);
ServerLimits server_limits_from(const config::Config& c);

}  // namespace mw::policyd
