#include <catch2/catch.hpp>

#include <vector>

#include "common/daemon/daemon_flags.hpp"

using mw::daemon::parse_daemon_flags;

namespace {
mw::Result<mw::daemon::DaemonFlags> parse(std::vector<const char*> args) {
    args.insert(args.begin(), "mailwarden-test");
    return parse_daemon_flags(static_cast<int>(args.size()), args.data(), "/etc/mailwarden/test.conf");
}
}  // namespace

TEST_CASE("DaemonFlags: the contract's flags", "[daemon]") {
    auto f = parse({"-c", "/tmp/x.conf", "-o", "a=1", "-ob=2", "-f", "-vv", "-t"});
    REQUIRE(f);
    CHECK(f->config_path == "/tmp/x.conf");
    CHECK(f->config_path_given);
    CHECK(f->overrides == std::vector<std::string>{"a=1", "b=2"});
    CHECK(f->foreground);
    CHECK(f->verbose == 2);
    CHECK(f->check_only);
    auto d = parse({"-d"});
    REQUIRE(d);
    CHECK(d->print_defaults);
    CHECK(d->config_path == "/etc/mailwarden/test.conf");
    CHECK_FALSE(d->config_path_given);
    CHECK(parse({"-n"})->print_non_default);
    CHECK(parse({"--version"})->version);
    CHECK(parse({"--help"})->help);
    CHECK(parse({"-fc", "/tmp/y.conf"})->config_path == "/tmp/y.conf");
}

TEST_CASE("DaemonFlags: bad usage", "[daemon]") {
    CHECK_FALSE(parse({"-x"}));
    CHECK_FALSE(parse({"-c"}));
    CHECK_FALSE(parse({"-o"}));
    CHECK_FALSE(parse({"--bogus"}));
    CHECK_FALSE(parse({"stray"}));
}
