#include <catch2/catch.hpp>

#include <unistd.h>

#include <cstdio>
#include <fstream>

#include "common/config/config.hpp"

using namespace mw::config;

namespace {

const ParamTable& table() {
    static const ParamTable t = {
        {"name", ParamType::String, "x", "a string"},
        {"enabled", ParamType::Bool, "no", "a flag"},
        {"count", ParamType::Int, "5", "an int", "", 1, 10},
        {"timeout", ParamType::Duration, "20s", "a time", "", 1, 100},
        {"items", ParamType::List, "a, b", "a list"},
        {"kind", ParamType::Choice, "spf", "a choice", "spf|ar|none"},
        {"mode", ParamType::Mode, "0660", "a mode"},
        {"nets", ParamType::Cidrs, "127.0.0.0/8", "addresses"},
        {"ratio", ParamType::Number, "5.0", "a number", "", -10, 100},
    };
    return t;
}

struct TempFile {
    std::string path;
    explicit TempFile(const std::string& text) {
        char buf[] = "/tmp/mwcfgXXXXXX";
        int fd = mkstemp(buf);
        REQUIRE(fd >= 0);
        ::close(fd);
        path = buf;
        std::ofstream(path) << text;
    }
    ~TempFile() { std::remove(path.c_str()); }
};

}  // namespace

TEST_CASE("Config: defaults and typed getters", "[config]") {
    auto c = Config::defaults(table());
    CHECK(c.str("name") == "x");
    CHECK_FALSE(c.flag("enabled"));
    CHECK(c.integer("count") == 5);
    CHECK(c.duration("timeout") == std::chrono::seconds(20));
    CHECK(c.list("items") == std::vector<std::string>{"a", "b"});
    CHECK(c.mode("mode") == 0660);
    CHECK(c.cidrs("nets").contains(*mw::net::IpAddress::parse("127.0.0.9")));
    CHECK(c.number("ratio") == 5.0);
}

TEST_CASE("Config: decimal numbers", "[config]") {
    CHECK(mw::config::parse_number("6.5") == 6.5);
    CHECK(mw::config::parse_number("-0.25") == -0.25);
    CHECK(mw::config::parse_number("7") == 7.0);
    for (const char* bad : {"", "-", ".", "1e5", "1.2.3", " 1", "nan", "0x10", "--1"}) {
        INFO(bad);
        CHECK_FALSE(mw::config::parse_number(bad));
    }
    TempFile f("ratio = 101\n");
    auto over = Config::load(table(), {f.path, false, {}});
    REQUIRE_FALSE(over);
    CHECK(over.error().to_string().find(":1: ") != std::string::npos);
    auto ok = Config::load(table(), {"/nonexistent", true, {"ratio=-2.5"}});
    REQUIRE(ok);
    CHECK(ok->number("ratio") == -2.5);
}

TEST_CASE("Config: file values, -o overrides and -n/-d output", "[config]") {
    TempFile f("enabled = yes\ncount = 7\nkind = AR\n");
    auto c = Config::load(table(), {f.path, false, {"count=9", "timeout = 1m"}});
    REQUIRE(c);
    CHECK(c->flag("enabled"));
    CHECK(c->integer("count") == 9);
    CHECK(c->duration("timeout") == std::chrono::minutes(1));
    CHECK(c->str("kind") == "ar");
    CHECK(c->print(true) == "enabled = yes\ncount = 9\ntimeout = 1m\nkind = ar\n");
    CHECK(Config::defaults(table()).print(false).find("items = a, b\n") != std::string::npos);
    CHECK(c->where("enabled")->line == 1);
}

TEST_CASE("Config: errors name FILE:LINE and the key", "[config]") {
    struct Case { const char* text; const char* msg; };
    const Case cases[] = {
        {"bogus = 1\n", ":1: unknown parameter \"bogus\""},
        {"\ncount = 11\n", ":2: bad value for count"},
        {"count = many\n", "expected an integer"},
        {"enabled = maybe\n", "expected yes or no"},
        {"timeout = 5x\n", "expected a time"},
        {"timeout = 200s\n", "between"},
        {"kind = both\n", "expected one of"},
        {"mode = 0999\n", "octal"},
        {"nets = 10.0.0.1/8\n", "beyond the prefix"},
    };
    for (const auto& k : cases) {
        TempFile f(k.text);
        auto c = Config::load(table(), {f.path, false, {}});
        INFO(k.text);
        REQUIRE_FALSE(c);
        CHECK(c.error().to_string().find(k.msg) != std::string::npos);
        CHECK(c.error().to_string().rfind(f.path, 0) == 0);
    }
}

TEST_CASE("Config: missing file is an error unless it is the default path", "[config]") {
    CHECK_FALSE(Config::load(table(), {"/nonexistent/x.conf", false, {}}));
    auto c = Config::load(table(), {"/nonexistent/x.conf", true, {}});
    REQUIRE(c);
    CHECK(c->integer("count") == 5);
}

TEST_CASE("Config: bad -o overrides", "[config]") {
    for (const char* o : {"nokey", "bogus=1", "count=0", "=1"}) {
        auto c = Config::load(table(), {"/nonexistent", true, {o}});
        INFO(o);
        REQUIRE_FALSE(c);
        CHECK(c.error().to_string().find("-o") != std::string::npos);
    }
}

TEST_CASE("Config: durations in Postfix units", "[config]") {
    using std::chrono::milliseconds;
    CHECK(parse_duration("10") == milliseconds(10000));
    CHECK(parse_duration("1d") == milliseconds(86400000));
    CHECK(parse_duration("250ms") == milliseconds(250));
    CHECK_FALSE(parse_duration("-1"));
    CHECK_FALSE(parse_duration("s"));
    CHECK_FALSE(parse_duration("1y"));
    CHECK_FALSE(parse_duration("99999999999"));
}
