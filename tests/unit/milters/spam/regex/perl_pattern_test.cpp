#include "milters/spam/regex/perl_pattern.hpp"

#include <catch2/catch.hpp>

using mw::spam::pcre2_pattern_for;

TEST_CASE("pcre2_pattern_for: Perl 5.34 {,n} becomes {0,n}", "[spam][regex]") {
    CHECK(pcre2_pattern_for("a{,3}b") == "a{0,3}b");
    CHECK(pcre2_pattern_for("(?:ab){,12}") == "(?:ab){0,12}");
}

TEST_CASE("pcre2_pattern_for: blanks inside quantifier braces are dropped", "[spam][regex]") {
    CHECK(pcre2_pattern_for("x{1, 3}") == "x{1,3}");
    CHECK(pcre2_pattern_for("x{ 2 }") == "x{2}");
    CHECK(pcre2_pattern_for("x{2 ,}") == "x{2,}");
}

TEST_CASE("pcre2_pattern_for: literal braces stay literal", "[spam][regex]") {
    CHECK(pcre2_pattern_for("x{") == "x{");
    CHECK(pcre2_pattern_for("%{GB_TO_ADDR}") == "%{GB_TO_ADDR}");
    CHECK(pcre2_pattern_for("a{,}") == "a{,}");
    CHECK(pcre2_pattern_for("a{1,2,3}") == "a{1,2,3}");
    CHECK(pcre2_pattern_for("{}") == "{}");
}

TEST_CASE("pcre2_pattern_for: escapes, classes and \\Q..\\E are not rewritten", "[spam][regex]") {
    CHECK(pcre2_pattern_for(R"(\x{41}\p{L}\g{1}\N{U+41}\o{101})") ==
          R"(\x{41}\p{L}\g{1}\N{U+41}\o{101})");
    CHECK(pcre2_pattern_for(R"(\{,3})") == R"(\{,3})");
    CHECK(pcre2_pattern_for("[{,3}]") == "[{,3}]");
    CHECK(pcre2_pattern_for("[]{,3}]x{,3}") == "[]{,3}]x{0,3}");
    CHECK(pcre2_pattern_for("[[:alpha:]{,3}]x{,3}") == "[[:alpha:]{,3}]x{0,3}");
    CHECK(pcre2_pattern_for(R"(\Qa{,3}\Ea{,3})") == R"(\Qa{,3}\Ea{0,3})");
    CHECK(pcre2_pattern_for("a\\") == "a\\");
}

TEST_CASE("prefilter_pattern_for: large bounds become unbounded", "[spam][regex]") {
    using mw::spam::prefilter_pattern_for;
    CHECK(prefilter_pattern_for("[^>]{0,2048}x{2,32}y{40}z{,99}", 32) == "[^>]{0,}x{2,32}y{40,}z{0,}");
    CHECK(prefilter_pattern_for("a{1,3}[{0,99}]", 32) == "a{1,3}[{0,99}]");
    CHECK(prefilter_pattern_for("a{0,99999999999}", 32) == "a{0,}");
}

TEST_CASE("pcre2_pattern_for: leading zeros keep an exact count exact", "[spam][regex]") {
    CHECK(pcre2_pattern_for("a{00000002}") == "a{00000002}");
    CHECK(pcre2_pattern_for("a{1,00000003}") == "a{1,00000003}");
    CHECK(mw::spam::prefilter_pattern_for("a{00000002}", 1) == "a{00000002,}");
}
