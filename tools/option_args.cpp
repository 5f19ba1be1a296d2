#include "tools/option_args.hpp"

namespace mw::tools {

Result<OptionArgs> split_options(const Args& args) {
    OptionArgs out;
    for (std::size_t i = 0; i < args.size(); ++i) {
        const std::string& a = args[i];
        if (a == "--help" || a == "-h") {
            out.help = true;
            return out;
        }
        // -c FILE and -o key=value: a daemon's own flags, for subcommands that read its config.
        if (a.rfind("--", 0) != 0 && a != "-c" && a != "-o") {
            out.positional.push_back(a);
            continue;
        }
        if (i + 1 >= args.size()) return fail(ErrorCode::Invalid, a + " needs a value");
        out.options.emplace_back(a, args[++i]);
    }
    return out;
}

tl::unexpected<Error> unknown_option(const std::string& name) {
    return fail(ErrorCode::Invalid, "unknown option " + name);
}

}  // namespace mw::tools
