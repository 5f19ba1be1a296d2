#include <catch2/catch.hpp>

#include "milters/spam/rules/regex_literal.hpp"

using mw::spam::parse_regex_literal;

TEST_CASE("RegexLiteral: slash form with flags", "[milters][spam][rules]") {
    auto re = parse_regex_literal(R"(/foo\/bar/ism)");
    REQUIRE(re);
    CHECK(re->pattern == R"(foo\/bar)");
    CHECK(re->caseless);
    CHECK(re->multiline);
    CHECK(re->dotall);
    CHECK_FALSE(re->extended);
}

TEST_CASE("RegexLiteral: m{} m!! qr<> forms", "[milters][spam][rules]") {
    auto braces = parse_regex_literal("m{a{1,3}b}i");
    REQUIRE(braces);
    CHECK(braces->pattern == "a{1,3}b");
    CHECK(braces->caseless);
    auto bang = parse_regex_literal("m!http://x!x");
    REQUIRE(bang);
    CHECK(bang->pattern == "http://x");
    CHECK(bang->extended);
    auto angle = parse_regex_literal("qr<abc>");
    REQUIRE(angle);
    CHECK(angle->pattern == "abc");
    CHECK_FALSE(angle->caseless);
}

TEST_CASE("RegexLiteral: malformed literals are refused", "[milters][spam][rules]") {
    CHECK_FALSE(parse_regex_literal("foo"));            // no delimiters
    CHECK_FALSE(parse_regex_literal("/foo"));           // no end delimiter
    CHECK_FALSE(parse_regex_literal("/foo/bar/"));      // unescaped delimiter inside
    CHECK_FALSE(parse_regex_literal("m\\foo\\"));       // backslash delimiter
    CHECK_FALSE(parse_regex_literal("/a(?{ 1 })/"));    // code block
    CHECK_FALSE(parse_regex_literal("/foo/e"));         // e is not a flag
    CHECK(parse_regex_literal(R"(/a\\/)"));             // escaped backslash before the end
    auto unsupported = parse_regex_literal("/foo/g");
    REQUIRE_FALSE(unsupported);
    CHECK(unsupported.error().code == mw::ErrorCode::Unsupported);
}
