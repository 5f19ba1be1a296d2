// The `mailwarden` CLI's subcommands: each is one cmd_<name>.cpp with a run function taking the
// arguments after its name and returning the exit status. main.cpp lists them for --help.
#pragma once

#include <string>
#include <vector>

namespace mw::tools {

using Args = std::vector<std::string>;

struct Subcommand {
    const char* name;
    const char* summary;
    int (*run)(const Args& args);
};

/// `mailwarden milter-test SOCKET FILE.eml [options]`: 0 accept/continue, 1 reject/tempfail/
/// discard, 2 usage or connection error.
int run_milter_test(const Args& args);

/// `mailwarden dkim keygen|testkey ...`: dispatches to the two below.
int run_dkim(const Args& args);
/// `mailwarden dkim keygen --domain D --selector S [options]`: 0 written, 1 failure, 2 usage error.
int run_dkim_keygen(const Args& args);
/// `mailwarden dkim testkey --domain D --selector S --key FILE`: 0 match, 1 no match, 2 usage error.
int run_dkim_testkey(const Args& args);

/// `mailwarden spam lint|check ...`: the spam milter's rules, offline.
///   lint [-c FILE] [-o key=value]... [--verbose yes]: 0 rules load, 1 they do not, 2 usage error.
///   check [-c FILE] [-o key=value]... [--from ADDR] [--headers yes] FILE...: one line per file,
///   "FILE<TAB>SCORE<TAB>RULE,RULE,..."; 0 done, 1 a file could not be read, 2 usage error.
int run_spam(const Args& args);

}  // namespace mw::tools
