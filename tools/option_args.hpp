// OptionArgs: a subcommand's arguments split into "--name value" options (in order) and
// positional words; --help / -h anywhere asks for the usage text. Every option takes a value;
// -c FILE and -o key=value (a daemon's config flags) count as options too.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "common/base/result.hpp"
#include "tools/subcommand.hpp"

namespace mw::tools {

struct OptionArgs {
    std::vector<std::pair<std::string, std::string>> options;
    std::vector<std::string> positional;
    bool help = false;
};

/// Fails on an option without its value ("--dir needs a value").
Result<OptionArgs> split_options(const Args& args);

/// The error for an option the subcommand does not know.
tl::unexpected<Error> unknown_option(const std::string& name);

/// For subcommands without positional words: fills `o` through `set(o, name, value)` for each
/// option (which returns Result<bool>), or sets `o.help`.
template <class Options, class Setter>
Result<bool> apply_options(const Args& args, Options& o, Setter set) {
    auto split = split_options(args);
    if (!split) return fail(split.error());
    o.help = split->help;
    if (o.help) return true;
    if (!split->positional.empty()) return fail(ErrorCode::Invalid, "unexpected argument " + split->positional[0]);
    for (const auto& [name, value] : split->options) {
        auto ok = set(o, name, value);
        if (!ok) return ok;
    }
    return true;
}

}  // namespace mw::tools
