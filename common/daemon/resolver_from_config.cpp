#include "common/daemon/resolver_from_config.hpp"

#include "common/daemon/daemon_startup.hpp"
#include "common/dns/unbound_resolver.hpp"

namespace mw::daemon {

Result<std::shared_ptr<dns::Resolver>> make_resolver(const config::Config& c) {
    dns::UnboundResolver::Options o;
    o.servers = c.list("dns_servers");
    o.timeout = c.duration("dns_timeout");
    auto r = dns::UnboundResolver::create(std::move(o));
    if (!r) return fail(config_error(c, "dns_servers", r.error().message));
    return std::shared_ptr<dns::Resolver>(std::move(*r));
}

bool same_resolver_settings(const config::Config& a, const config::Config& b) {
    return a.str("dns_servers") == b.str("dns_servers") &&
           a.duration("dns_timeout") == b.duration("dns_timeout");
}

}  // namespace mw::daemon
