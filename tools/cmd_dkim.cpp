// `mailwarden dkim keygen|testkey ...`: dispatches to cmd_dkim_keygen.cpp / cmd_dkim_testkey.cpp.
#include <cstdio>

#include "tools/subcommand.hpp"

namespace mw::tools {

namespace {

constexpr const char* kUsage =
    "usage: mailwarden dkim keygen --domain D --selector S [options]   make a key pair, print its TXT record\n"
    "       mailwarden dkim testkey --domain D --selector S --key FILE  check the published record\n"
    "`mailwarden dkim keygen --help` and `mailwarden dkim testkey --help` list the options.\n";

}  // namespace

int run_dkim(const Args& args) {
    const Args rest = args.empty() ? Args() : Args(args.begin() + 1, args.end());
    if (!args.empty() && args[0] == "keygen") return run_dkim_keygen(rest);
    if (!args.empty() && args[0] == "testkey") return run_dkim_testkey(rest);
    if (!args.empty() && (args[0] == "--help" || args[0] == "-h")) {
        std::fputs(kUsage, stdout);
        return 0;
    }
    std::fputs(kUsage, stderr);
    return 2;
}

}  // namespace mw::tools
