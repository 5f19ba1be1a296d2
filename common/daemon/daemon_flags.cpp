#include "common/daemon/daemon_flags.hpp"

#include <string_view>

#include <fmt/format.h>

namespace mw::daemon {

namespace {

// Applies one short flag that takes no argument; false if `c` is not one.
bool apply_simple_flag(char c, DaemonFlags& f) {
    switch (c) {
        case 'f': f.foreground = true; return true;
        case 't': f.check_only = true; return true;
        case 'n': f.print_non_default = true; return true;
        case 'd': f.print_defaults = true; return true;
        case 'v': ++f.verbose; return true;
        case 'h': f.help = true; return true;
        default: return false;
    }
}

}  // namespace

Result<DaemonFlags> parse_daemon_flags(int argc, const char* const* argv,
                                       const std::string& default_config) {
    DaemonFlags f;
    f.config_path = default_config;
    for (int i = 1; i < argc; ++i) {
        const std::string_view a = argv[i];
        if (a == "--version") { f.version = true; continue; }
        if (a == "--help") { f.help = true; continue; }
        if (a == "--print-params=man") { f.print_params_man = true; continue; }
        if (a == "--print-params=conf") { f.print_params_conf = true; continue; }
        if (a.size() < 2 || a[0] != '-' || a[1] == '-')
            return fail(ErrorCode::Invalid, fmt::format("unexpected argument \"{}\"", a));
        for (std::size_t j = 1; j < a.size(); ++j) {
            const char c = a[j];
            if (apply_simple_flag(c, f)) continue;
            if (c != 'c' && c != 'o')
                return fail(ErrorCode::Invalid, fmt::format("unknown option -{}", c));
            // -cFILE or -c FILE
            std::string value(a.substr(j + 1));
            if (value.empty()) {
                if (i + 1 >= argc) return fail(ErrorCode::Invalid, fmt::format("-{} needs a value", c));
                value = argv[++i];
            }
            if (c == 'c') {
                f.config_path = value;
                f.config_path_given = true;
            } else {
                f.overrides.push_back(value);
            }
            break;
        }
    }
    return f;
}

std::string daemon_usage(const std::string& program) {
    return fmt::format(
        "usage: {} [-c FILE] [-o key=value]... [-f] [-t] [-n] [-d] [-v]... [--version] [--help]\n"
        "  -c FILE         configuration file\n"
        "  -o key=value    override one setting (repeatable)\n"
        "  -f              stay in the foreground\n"
        "  -t              check the configuration and exit\n"
        "  -n              print settings that differ from the defaults and exit\n"
        "  -d              print all defaults and exit\n"
        "  -v              more logging (repeatable)\n",
        program);
}

}  // namespace mw::daemon
