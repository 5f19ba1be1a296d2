// mailwarden: the admin CLI. `mailwarden SUBCOMMAND ARGS...`; --help lists the subcommands.
#include <cstdio>
#include <string_view>

#include "tools/subcommand.hpp"

namespace {

constexpr mw::tools::Subcommand kSubcommands[] = {
    {"milter-test", "run one message through a milter as Postfix would, print the verdict and edits",
     mw::tools::run_milter_test},
    {"dkim", "dkim keygen | testkey: make a DKIM key pair and its TXT record; check a published record", mw::tools::run_dkim},
    {"spam", "spam lint | check: what the spam milter makes of its rules; score message files offline",
     mw::tools::run_spam},
};

int usage(std::FILE* out, int status) {
    std::fprintf(out, "usage: mailwarden SUBCOMMAND [ARGS...]\n\nsubcommands:\n");
    for (const auto& c : kSubcommands) std::fprintf(out, "  %-14s %s\n", c.name, c.summary);
    std::fprintf(out, "\n`mailwarden SUBCOMMAND --help` describes one.\n");
    return status;
}

}  // namespace

int main(int argc, char** argv) {
    if (argc < 2) return usage(stderr, 2);
    const std::string_view name = argv[1];
    if (name == "--help" || name == "-h" || name == "help") return usage(stdout, 0);
    if (name == "--version") {
        std::printf("mailwarden %s\n", MW_VERSION);
        return 0;
    }
    for (const auto& c : kSubcommands) {
        if (name == c.name) return c.run(mw::tools::Args(argv + 2, argv + argc));
    }
    std::fprintf(stderr, "mailwarden: unknown subcommand \"%.*s\"\n", static_cast<int>(name.size()), name.data());
    return usage(stderr, 2);
}
