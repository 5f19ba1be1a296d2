#include <catch2/catch.hpp>

#include "common/base/limits.hpp"
#include "common/config/config_file.hpp"

using mw::config::parse_config_text;

TEST_CASE("ConfigFile: keys, comments, blank lines, continuations", "[config]") {
    auto r = parse_config_text("# comment\n\nfoo = bar\nlist = a,\n  b\n\tc\n  # not a comment inside?\nx=\n",
                               "t.conf");
    REQUIRE(r);
    REQUIRE(r->size() == 3);
    CHECK((*r)[0].key == "foo");
    CHECK((*r)[0].value == "bar");
    CHECK((*r)[0].pos.line == 3);
    CHECK((*r)[1].value == "a, b c");
    CHECK((*r)[1].pos.line == 4);
    CHECK((*r)[2].key == "x");
    CHECK((*r)[2].value.empty());
}

TEST_CASE("ConfigFile: CRLF line ends are accepted", "[config]") {
    auto r = parse_config_text("a = 1\r\nb = 2\r\n", "t.conf");
    REQUIRE(r);
    CHECK((*r)[1].value == "2");
}

TEST_CASE("ConfigFile: errors carry FILE:LINE", "[config]") {
    struct Case { const char* text; int line; const char* what; };
    const Case cases[] = {
        {"a = 1\nno equals sign\n", 2, "missing '='"},
        {"  leading = continuation\n", 1, "continuation line"},
        {"a = 1\nb c = 2\n", 2, "bad parameter name"},
        {"a = 1\n\nb = x\x01y\n", 3, "control character"},
        {"= value\n", 1, "bad parameter name"},
    };
    for (const auto& c : cases) {
        auto r = parse_config_text(c.text, "t.conf");
        INFO(c.text);
        REQUIRE_FALSE(r);
        REQUIRE(r.error().pos);
        CHECK(r.error().pos->line == c.line);
        CHECK(r.error().to_string().rfind("t.conf:" + std::to_string(c.line) + ": ", 0) == 0);
        CHECK(r.error().message.find(c.what) != std::string::npos);
    }
}

TEST_CASE("ConfigFile: logical line bound", "[config][limits]") {
    const auto n = mw::limits::kMaxConfigLine;
    std::string at_limit = "k = " + std::string(n - 4, 'v') + "\n";
    CHECK(parse_config_text(at_limit, "t"));
    std::string past = "k = " + std::string(n - 3, 'v') + "\n";
    CHECK_FALSE(parse_config_text(past, "t"));
}

TEST_CASE("ConfigFile: missing file is NotFound", "[config]") {
    auto r = mw::config::read_config_file("/nonexistent/dir/x.conf");
    REQUIRE_FALSE(r);
    CHECK(r.error().code == mw::ErrorCode::NotFound);
}
