#include "policyd/params.hpp"

#include "common/config/common_params.hpp"

namespace mw::policyd {

namespace {

constexpr const char* kRejectChoices = "fail|spf_not_pass|softfail|null|false|no_check";

config::ParamTable own_params() {
    using T = config::ParamType;
    return {
        {"helo_reject", T::Choice, "fail",
         "When a HELO check rejects: fail, spf_not_pass, softfail, null (null sender only), "
         "false (header only) or no_check", kRejectChoices},
        {"mail_from_reject", T::Choice, "fail",
         "When a MAIL FROM check rejects (as helo_reject; null is not used here)", kRejectChoices},
        {"permerror_reject", T::Bool, "no", "Reject on SPF permerror (550 5.7.24)"},
        {"temperror_defer", T::Bool, "no", "Defer on SPF temperror (451 4.7.24)"},
        {"temperror_defer_if_permit", T::Bool, "yes",
         "With temperror_defer: answer DEFER_IF_PERMIT (later restrictions may still reject) "
         "instead of a plain 451"},
        {"skip_addresses", T::Cidrs, "127.0.0.0/8, ::ffff:127.0.0.0/104, ::1",
         "Clients never checked"},
        {"whitelist", T::Cidrs, "", "Client networks not checked"},
        {"helo_whitelist", T::List, "", "HELO names not checked (only when Postfix confirms the client name)"},
        {"domain_whitelist", T::List, "",
         "Sender domains whose SPF pass for the client exempts it from checks of other domains"},
        {"domain_whitelist_ptr", T::List, "", "Clients whose confirmed name is in these domains are not checked"},
        {"reject_not_pass_domains", T::List, "", "Domains for which anything but pass is rejected"},
        {"skip_sasl", T::Bool, "yes", "Do not check SASL-authenticated clients"},
        {"header_type", T::Choice, "spf", "spf: Received-SPF; ar: Authentication-Results; none",
         "spf|ar|none"},
        {"hide_receiver", T::Bool, "no", "Leave our host name out of headers and reject texts"},
        {"receiver", T::String, "", "Our host name for %{r} and receiver=; empty: the host name"},
        {"reason_message", T::String, "Message {rejectdefer} due to: {spf}. Please see {url}",
         "Template of reject/defer texts: {rejectdefer}, {spf}, {url}"},
        {"reason_url", T::String, "https://www.open-spf.org/Why?s={scope};id={id};ip={ip};r={receiver}",
         "The {url} of reason_message: {scope}, {id}, {ip}, {receiver}"},
        {"lookup_time", T::Duration, "20s", "Time budget for all DNS lookups of one SPF check", "", 1, 90},
        {"cache_size", T::Int, "10000", "SPF results kept across messages (0: no cache)", "", 0, 1000000},
        {"cache_max_ttl", T::Duration, "1h", "Upper bound on how long an SPF result is cached", "", 0, 86400},
        {"idle_timeout", T::Duration, "330s",
         "Close a connection idle this long (in stdio mode: exit); above Postfix's 300s max_idle",
         "", 1, 86400},
        {"request_timeout", T::Duration, "10s",
         "Close a connection that does not finish a request it started in this time", "", 1, 3600},
        {"max_connections", T::Int, "200", "Connections served at once", "", 1, 10000},
        {"shutdown_timeout", T::Duration, "10s",
         "On SIGTERM, how long connections may take to finish their request in flight", "", 0, 300},
    };
}

}  // namespace

const config::ParamTable& policyd_params() {
    static const config::ParamTable table = [] {
        auto t = config::common_params(
            kDefaultListen, "Where to listen: unix:PATH, inet:HOST:PORT, or stdio as a spawn(8) child");
        auto own = own_params();
        t.insert(t.end(), own.begin(), own.end());
        return t;
    }();
    return table;
}

}  // namespace mw::policyd
