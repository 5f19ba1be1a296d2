// The start-up every daemon shares: flags, --help/--version, -d/-n/-t, --print-params=man,
// loading and checking the config, and logging set-up. The daemon's main() supplies its
// description (name, key table, a semantic check) and does the rest (sockets, threads).
#pragma once

#include <functional>
#include <string>
#include <variant>

#include "common/base/result.hpp"
#include "common/config/config.hpp"
#include "common/daemon/daemon_flags.hpp"

namespace mw::daemon {

struct DaemonDescription {
    std::string name;          // "policyd": program mailwarden-policyd, config NAME.conf, ident mailwarden/NAME
    std::string summary;       // one line for --help
    const config::ParamTable* params = nullptr;
    /// Checks beyond types (e.g. that a listen address parses); errors should carry FILE:LINE
    /// (use config_error()).
    std::function<Result<bool>(const config::Config&)> check;
};

struct Started {
    DaemonFlags flags;
    config::Config config;
};

/// Parses flags and loads the config. Returns an exit code when the process is done (help,
/// version, -t, -n, -d, bad usage, bad config: the error is printed to stderr), or Started.
std::variant<int, Started> start_daemon(const DaemonDescription& d, int argc, const char* const* argv);

/// Loads and checks the config again, for SIGUSR1.
Result<config::Config> load_daemon_config(const DaemonDescription& d, const DaemonFlags& flags);

/// Installs the syslog or stderr sink per log_target/log_level; -v raises the level.
void configure_logging(const DaemonDescription& d, const config::Config& c, int verbose);

/// An error about `key`, at the FILE:LINE where it was set (or naming the key if defaulted).
Error config_error(const config::Config& c, std::string_view key, std::string message);

/// The authserv_id: the configured value or the host name.
std::string authserv_id(const config::Config& c);

}  // namespace mw::daemon
