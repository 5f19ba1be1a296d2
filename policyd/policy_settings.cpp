#include "policyd/policy_settings.hpp"

#include "common/daemon/daemon_startup.hpp"
#include "common/daemon/listen_spec.hpp"

namespace mw::policyd {

Result<bool> check_policyd_config(const config::Config& c) {
    auto spec = daemon::ListenSpec::parse(c.str("listen"), true);
    if (!spec) return fail(daemon::config_error(c, "listen", spec.error().message));
    if (c.duration("lookup_time") >= c.duration("idle_timeout"))
        return fail(daemon::config_error(c, "lookup_time", "lookup_time must be below idle_timeout"));
    return true;
}

PolicyOptions policy_options_from(const config::Config& c) {
    PolicyOptions o;
    // The Choice type has already restricted these to valid spellings.
    o.helo_reject = parse_reject_policy(c.str("helo_reject")).value_or(RejectPolicy::Fail);
    o.mail_from_reject = parse_reject_policy(c.str("mail_from_reject")).value_or(RejectPolicy::Fail);
    o.permerror_reject = c.flag("permerror_reject");
    o.temperror_defer = c.flag("temperror_defer");
    o.defer_if_permit = c.flag("temperror_defer_if_permit");
    o.skip_addresses = c.cidrs("skip_addresses");
    o.whitelist = c.cidrs("whitelist");
    o.helo_whitelist = c.list("helo_whitelist");
    o.domain_whitelist = c.list("domain_whitelist");
    o.domain_whitelist_ptr = c.list("domain_whitelist_ptr");
    o.reject_not_pass_domains = c.list("reject_not_pass_domains");
    o.skip_sasl = c.flag("skip_sasl");
    o.header_type = parse_header_type(c.str("header_type")).value_or(HeaderType::Spf);
    o.hide_receiver = c.flag("hide_receiver");
    o.receiver = c.str("receiver").empty() ? daemon::authserv_id(c) : c.str("receiver");
    if (!c.str("authserv_id").empty()) o.authserv_id = c.str("authserv_id");
    else o.authserv_id = o.receiver;
    o.reason_message = c.str("reason_message");
    o.reason_url = c.str("reason_url");
    o.dry_run = c.flag("dry_run");
    return o;
}

ServerLimits server_limits_from(const config::Config& c) {
    ServerLimits l;
    l.idle_timeout = c.duration("idle_timeout");
    l.request_timeout = c.duration("request_timeout");
    l.max_connections = static_cast<int>(c.integer("max_connections"));
    return l;
}

}  // namespace mw::policyd
