// The one way a daemon builds its resolver from the shared keys dns_servers and dns_timeout.
// Start-up code; errors point at dns_servers' FILE:LINE.
#pragma once

#include <memory>

#include "common/base/result.hpp"
#include "common/config/config.hpp"
#include "common/dns/resolver.hpp"

namespace mw::daemon {

Result<std::shared_ptr<dns::Resolver>> make_resolver(const config::Config& c);

/// True when two configs would build the same resolver (a reload may keep the old one and its cache).
bool same_resolver_settings(const config::Config& a, const config::Config& b);

}  // namespace mw::daemon
