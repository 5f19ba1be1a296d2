// The flags every daemon takes (CONTRACT.md): -c FILE, -o key=value, -f, -t, -n, -d, -v,
// --version, --help, and the hidden --print-params=man|conf used to build the man page and etc/NAME.conf.
// Pure; returns an error message for bad usage.
#pragma once

#include <string>
#include <vector>

#include "common/base/result.hpp"

namespace mw::daemon {

struct DaemonFlags {
    std::string config_path;             // -c, or the default /etc/mailwarden/NAME.conf
    bool config_path_given = false;
    std::vector<std::string> overrides;  // -o
    bool foreground = false;             // -f
    bool check_only = false;             // -t
    bool print_non_default = false;      // -n
    bool print_defaults = false;         // -d
    int verbose = 0;                     // -v, repeatable
    bool version = false;
    bool help = false;
    bool print_params_man = false;
    bool print_params_conf = false;
};

/// Parses argv; `default_config` is /etc/mailwarden/NAME.conf.
Result<DaemonFlags> parse_daemon_flags(int argc, const char* const* argv,
                                       const std::string& default_config);

/// The --help text.
std::string daemon_usage(const std::string& program);

}  // namespace mw::daemon
