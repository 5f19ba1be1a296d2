// `mailwarden spam lint` and `mailwarden spam check`: the spam milter's rules, offline, read
// exactly as mailwarden-spam reads them (its -c FILE / -o key=value, its rule directories).
//   lint: every rule file's diagnostics at FILE:LINE, and what the scanner runs, what it cannot
//         run and why, and what is off.
//   check: scores message files as the milter would (same MessageScorer), one line per file:
//         FILE<TAB>SCORE<TAB>RULE,RULE,...  (the format of bench/spam's SpamAssassin reference).
#include <cstdio>
#include <fstream>
#include <sstream>

#include <fmt/format.h>

#include "common/daemon/daemon_startup.hpp"
#include "milters/spam/message_scorer.hpp"
#include "milters/spam/mime/message_parser.hpp"
#include "milters/spam/spam_headers.hpp"
#include "milters/spam/spam_lint.hpp"
#include "milters/spam/spam_settings.hpp"
#include "tools/option_args.hpp"
#include "tools/subcommand.hpp"

namespace mw::tools {

namespace {

constexpr const char* kUsage =
    "usage: mailwarden spam lint [-c FILE] [-o key=value]... [--verbose yes]\n"
    "       mailwarden spam check [-c FILE] [-o key=value]... [--from ADDR] [--headers yes] FILE...\n"
    "  -c FILE        mailwarden-spam's configuration (default /etc/mailwarden/spam.conf)\n"
    "  -o key=value   override one of its settings, repeatable\n"
    "  --verbose yes  lint: list every unsupported rule, and every pattern tried with PCRE2 on\n"
    "                 every text (the slow ones), with its FILE:LINE\n"
    "  --from ADDR    check: the envelope sender (default: inferred from the headers as SpamAssassin does)\n"
    "  --headers yes  check: also print the X-Spam-* fields the milter would add\n"
    "exit status: 0 done, 1 rules or a file could not be read, 2 usage error\n";

struct SpamOptions {
    daemon::DaemonFlags flags;
    bool verbose = false, headers = false;
    std::string from;
    bool from_given = false;
    std::vector<std::string> files;
};

Result<SpamOptions> parse(const OptionArgs& a) {
    SpamOptions o;
    o.flags.config_path = "/etc/mailwarden/spam.conf";
    for (const auto& [name, value] : a.options) {
        if (name == "-c") o.flags.config_path = value, o.flags.config_path_given = true;
        else if (name == "-o") o.flags.overrides.push_back(value);
        else if (name == "--verbose") o.verbose = value == "yes";
        else if (name == "--headers") o.headers = value == "yes";
        else if (name == "--from") o.from = value, o.from_given = true;
        else return unknown_option(name);
    }
    return o;
}

struct Loaded {
    spam::SpamSettings settings;
    std::shared_ptr<const spam::CompiledRules> rules;
};

Result<Loaded> load(const SpamOptions& o) {
    auto c = daemon::load_daemon_config(spam::spam_daemon(), o.flags);
    if (!c) return fail(c.error());
    auto s = spam::load_spam_settings(*c);
    if (!s) return fail(s.error());
    auto rules = spam::load_rules(*s);
    if (!rules) return fail(rules.error());
    return Loaded{std::move(*s), std::move(*rules)};
}

std::optional<std::string> read_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) return std::nullopt;
    std::ostringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

int check(const SpamOptions& o, const Loaded& l) {
    spam::MessageScorer scorer(*l.rules);
    int status = 0;
    for (const auto& path : o.files) {
        auto raw = read_file(path);
        if (!raw) {
            std::fprintf(stderr, "mailwarden spam check: cannot read %s\n", path.c_str());
            status = 1;
            continue;
        }
        spam::Envelope env;
        env.mail_from = o.from;
        env.mail_from_known = o.from_given;
        auto scored = scorer.score(*raw, env, l.settings, std::nullopt);
        std::string tests;
        for (const auto& t : scored.verdict.tests) tests += (tests.empty() ? "" : ",") + t.name;
        fmt::print("{}\t{}\t{}\n", path, spam::format_score(scored.verdict.score), tests);
        if (o.headers)
            for (const auto& [name, value] : spam::spam_header_fields(scored.verdict, l.settings.add_report))
                fmt::print("{}: {}\n", name, value);
    }
    return status;
}

}  // namespace

int run_spam(const Args& args) {
    if (args.empty() || (args[0] != "lint" && args[0] != "check")) {
        std::fputs(kUsage, args.empty() || args[0] == "--help" ? stdout : stderr);
        return args.size() == 1 && args[0] == "--help" ? 0 : 2;
    }
    auto split = split_options(Args(args.begin() + 1, args.end()));
    if (!split) return std::fprintf(stderr, "mailwarden spam: %s\n%s", split.error().message.c_str(), kUsage), 2;
    if (split->help) return std::fputs(kUsage, stdout), 0;
    auto o = parse(*split);
    if (!o) return std::fprintf(stderr, "mailwarden spam: %s\n%s", o.error().message.c_str(), kUsage), 2;
    o->files = split->positional;
    if (args[0] == "lint" && !o->files.empty()) return std::fprintf(stderr, "%s", kUsage), 2;
    if (args[0] == "check" && o->files.empty()) return std::fprintf(stderr, "%s", kUsage), 2;
    spam::mime_library_init();
    auto loaded = load(*o);
    if (!loaded) {
        std::fprintf(stderr, "mailwarden spam: %s\n", loaded.error().to_string().c_str());
        return 1;
    }
    if (args[0] == "lint") {
        std::fputs(spam::spam_lint_report(*loaded->rules, o->verbose).c_str(), stdout);
        return 0;
    }
    return check(*o, *loaded);
}

}  // namespace mw::tools
