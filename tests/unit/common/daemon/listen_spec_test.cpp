#include <catch2/catch.hpp>

#include "common/daemon/listen_spec.hpp"

using mw::daemon::ListenSpec;

TEST_CASE("ListenSpec: Postfix and libmilter spellings", "[daemon]") {
    struct Case { const char* text; const char* postfix; const char* milter; };
    const Case cases[] = {
        {"unix:/var/spool/postfix/mailwarden/dkim.sock", "unix:/var/spool/postfix/mailwarden/dkim.sock",
         "local:/var/spool/postfix/mailwarden/dkim.sock"},
        {"local:/run/x.sock", "unix:/run/x.sock", "local:/run/x.sock"},
        {"inet:127.0.0.1:8891", "inet:127.0.0.1:8891", "inet:8891@127.0.0.1"},
        {"inet:8891@127.0.0.1", "inet:127.0.0.1:8891", "inet:8891@127.0.0.1"},
        {"inet:[::1]:10025", "inet:[::1]:10025", "inet6:10025@::1"},
        {"inet6:10025@::1", "inet:[::1]:10025", "inet6:10025@::1"},
        {"inet:10030", "inet::10030", "inet:10030@0.0.0.0"},
    };
    for (const auto& c : cases) {
        INFO(c.text);
        auto s = ListenSpec::parse(c.text, false);
        REQUIRE(s);
        CHECK(s->to_string() == c.postfix);
        CHECK(s->to_libmilter() == c.milter);
    }
}

TEST_CASE("ListenSpec: stdio only where allowed", "[daemon]") {
    CHECK(ListenSpec::parse("stdio", true)->kind == ListenSpec::Kind::Stdio);
    CHECK_FALSE(ListenSpec::parse("stdio", false));
}

TEST_CASE("ListenSpec: errors", "[daemon]") {
    for (const char* bad : {"", "unix:", "tcp:1", "inet:host:0", "inet:host:65536", "inet:host:x",
                            "inet:[::1:25", "/tmp/sock", "inet:@host"}) {
        INFO(bad);
        CHECK_FALSE(ListenSpec::parse(bad, true));
    }
    CHECK_FALSE(ListenSpec::parse("unix:/" + std::string(120, 'x'), false));   // sun_path bound
}
