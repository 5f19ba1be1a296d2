#include "common/config/common_params.hpp"

namespace mw::config {

ParamTable common_params(std::string_view listen_default, std::string_view listen_summary) {
    using T = ParamType;
    return {
        {"listen", T::String, std::string(listen_default), std::string(listen_summary)},
        {"socket_mode", T::Mode, "0660", "Mode of a unix socket the daemon creates"},
        {"socket_owner", T::String, "postfix:postfix", "owner:group of that unix socket"},
        {"user", T::String, "mailwarden",
         "Account to drop privileges to after binding (ignored when not started as root)"},
        {"log_target", T::Choice, "syslog", "syslog (facility mail) or stderr", "syslog|stderr"},
        {"log_level", T::Choice, "info", "error, warning, info or debug", "error|warning|info|debug"},
        {"dns_servers", T::List, "",
         "DNS servers as ADDR[:PORT] list; empty: those of /etc/resolv.conf"},
        {"dns_timeout", T::Duration, "5s", "Time limit for one DNS query", "", 1, 60},
        {"authserv_id", T::String, "",
         "authserv-id in Authentication-Results (RFC 8601); empty: the host name"},
        {"internal_hosts", T::Cidrs, "127.0.0.0/8, ::1", "Clients treated as local/outbound"},
        {"dry_run", T::Bool, "no", "Log what would be rejected or deferred; reject and defer nothing"},
        {"state_dir", T::String, "/var/lib/mailwarden", "Where the daemon keeps state"},
    };
}

ParamTable milter_params(std::string_view listen_default, const ParamTable& own) {
    using T = ParamType;
    auto t = common_params(listen_default);
    t.insert(t.end(), own.begin(), own.end());
    t.push_back({"failure_action", T::Choice, "tempfail",
                 "What an internal failure answers: tempfail (451) or accept", "tempfail|accept"});
    t.push_back({"shutdown_timeout", T::Duration, "10s",
                 "On SIGTERM, how long messages in flight may take to finish", "", 0, 300});
    return t;
}

}  // namespace mw::config
