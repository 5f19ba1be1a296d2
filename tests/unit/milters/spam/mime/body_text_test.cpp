#include "milters/spam/mime/body_text.hpp"

#include <catch2/catch.hpp>

#include "common/base/limits.hpp"

using namespace mw::spam;

TEST_CASE("collapse_body_whitespace: SA paragraph rules", "[spam][mime]") {
    CHECK(collapse_body_whitespace("a  b\tc\nd") == "a b c d");
    CHECK(collapse_body_whitespace("a\n\n\nb") == "a\nb");
    CHECK(collapse_body_whitespace("a \n \n b") == "a \n b");
    CHECK(collapse_body_whitespace("a\xC2\xA0 b") == "a b");
}

TEST_CASE("split_into_short_lines: keeps newlines + splits long lines at a space", "[spam][mime]") {
    std::vector<std::string> out;
    split_into_short_lines("one\ntwo", out);
    CHECK(out == std::vector<std::string>{"one\n", "two"});
    out.clear();
    const std::size_t n = mw::limits::kMaxSpamBodyLine;
    std::string long_line = std::string(n - 10, 'a') + " " + std::string(20, 'b');
    split_into_short_lines(long_line, out);
    REQUIRE(out.size() == 2);
    CHECK(out[0].size() == n - 9);
    out.clear();
    split_into_short_lines(std::string(n * 2 + 1, 'x'), out);  // no space: hard cuts
    CHECK(out.size() == 3);
    CHECK(out[0].size() == n);
}

TEST_CASE("split_into_short_paragraphs: chunks between one and two line lengths", "[spam][mime]") {
    const std::size_t n = mw::limits::kMaxSpamBodyLine;
    std::vector<std::string> out;
    split_into_short_paragraphs("short", out);
    CHECK(out == std::vector<std::string>{"short"});
    out.clear();
    std::string text;
    while (text.size() < n * 5) text += "line of text\n";
    split_into_short_paragraphs(text, out);
    std::string joined;
    for (const auto& p : out) {
        CHECK(p.size() <= 2 * n);
        joined += p;
    }
    CHECK(joined == text);
    CHECK(out.front().back() == '\n');
}
