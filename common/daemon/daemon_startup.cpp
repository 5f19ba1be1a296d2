#include "common/daemon/daemon_startup.hpp"

#include <unistd.h>

#include <cstdio>

#include <fmt/format.h>

#include "common/config/params_man.hpp"
#include "common/log/logger.hpp"

namespace mw::daemon {

namespace {

std::string program_name(const DaemonDescription& d) { return "mailwarden-" + d.name; }

void print_error(const DaemonDescription& d, const Error& e) {
    fmt::print(stderr, "{}: {}\n", program_name(d), e.to_string());
}

}  // namespace

Result<config::Config> load_daemon_config(const DaemonDescription& d, const DaemonFlags& flags) {
    auto c = config::Config::load(*d.params,
                                  {flags.config_path, !flags.config_path_given, flags.overrides});
    if (!c) return fail(c.error());
    if (d.check) {
        if (auto r = d.check(*c); !r) return fail(r.error());
    }
    return c;
}

std::variant<int, Started> start_daemon(const DaemonDescription& d, int argc, const char* const* argv) {
    auto flags = parse_daemon_flags(argc, argv, fmt::format("/etc/mailwarden/{}.conf", d.name));
    if (!flags) {
        fmt::print(stderr, "{}: {}\n{}", program_name(d), flags.error().message, daemon_usage(program_name(d)));
        return 2;
    }
    if (flags->help) {
        fmt::print("{} - {}\n{}", program_name(d), d.summary, daemon_usage(program_name(d)));
        return 0;
    }
    if (flags->version) {
        fmt::print("{} {}\n", program_name(d), MW_VERSION);
        return 0;
    }
    if (flags->print_params_man) {
        fmt::print("{}", config::render_params_man(*d.params));
        return 0;
    }
    if (flags->print_params_conf) {
        fmt::print("{}", config::render_params_conf(*d.params));
        return 0;
    }
    if (flags->print_defaults) {
        fmt::print("{}", config::Config::defaults(*d.params).print(false));
        return 0;
    }
    auto c = load_daemon_config(d, *flags);
    if (!c) {
        print_error(d, c.error());
        return 1;
    }
    if (flags->print_non_default) {
        fmt::print("{}", c->print(true));
        return 0;
    }
    if (flags->check_only) return 0;
    return Started{std::move(*flags), std::move(*c)};
}

void configure_logging(const DaemonDescription& d, const config::Config& c, int verbose) {
    auto level = log::parse_level(c.str("log_level")).value_or(log::Level::Info);
    for (int i = 0; i < verbose && level != log::Level::Debug; ++i)
        level = static_cast<log::Level>(static_cast<int>(level) + 1);
    if (c.str("log_target") == "stderr") {
        log::configure(log::make_stderr_sink(d.name), level);
    } else {
        log::configure(log::make_syslog_sink(d.name), level);
    }
}

Error config_error(const config::Config& c, std::string_view key, std::string message) {
    if (auto pos = c.where(key); pos && pos->line > 0)
        return Error{ErrorCode::Invalid, std::move(message), *pos};
    if (auto pos = c.where(key); pos)
        return Error{ErrorCode::Invalid, pos->file + ": " + message, {}};
    return Error{ErrorCode::Invalid, fmt::format("{}: {} (default)", c.path(), message), {}};
}

std::string authserv_id(const config::Config& c) {
    if (!c.str("authserv_id").empty()) return c.str("authserv_id");
    char host[256] = {};
    if (gethostname(host, sizeof host - 1) != 0 || host[0] == '\0') return "localhost";
    return host;
}

}  // namespace mw::daemon
