#include <catch2/catch.hpp>

#include <string>

#include "common/base/limits.hpp"
#include "common/table/table_text.hpp"

using mw::table::split_table_text;
using mw::table::TableTextOptions;

TEST_CASE("table_text: Postfix comments, blank lines and continuation lines", "[table]") {
    const std::string text =
        "# a comment\n"
        "\n"
        "a@example.com REJECT go\n"
        "   away now\n"
        "# a comment inside a logical line does not end it\n"
        "\tplease\n"
        "   \n"
        "b.example OK # not a comment in Postfix\n"
        "  #indented comment\n";
    auto lines = split_table_text(text, "t");
    REQUIRE(lines);
    REQUIRE(lines->size() == 2);
    CHECK((*lines)[0].text == "a@example.com REJECT go away now please");
    CHECK((*lines)[0].pos.line == 3);
    CHECK((*lines)[0].pos.file == "t");
    CHECK((*lines)[1].text == "b.example OK # not a comment in Postfix");
    CHECK((*lines)[1].pos.line == 8);
}

TEST_CASE("table_text: OpenDKIM mode has inline comments and no continuations", "[table]") {
    TableTextOptions opendkim;
    opendkim.continuation_lines = false;
    opendkim.inline_comments = true;
    auto lines = split_table_text("k1 a # comment\n  k2 b\n", "t", opendkim);
    REQUIRE(lines);
    REQUIRE(lines->size() == 2);
    CHECK((*lines)[0].text == "k1 a");
    CHECK((*lines)[1].text == "k2 b");
    CHECK((*lines)[1].pos.line == 2);
}

TEST_CASE("table_text: a continuation line with nothing to continue is an error at FILE:LINE", "[table]") {
    auto lines = split_table_text("# head\n  orphan\n", "f.txt");
    REQUIRE_FALSE(lines);
    CHECK(lines.error().to_string() == "f.txt:2: continuation line without a line to continue");
}

TEST_CASE("table_text: line and entry bounds, at the limit and one past", "[table]") {
    TableTextOptions small;
    small.max_line = 10;
    small.max_entries = 2;
    CHECK(split_table_text("0123456789\n", "t", small));
    auto too_long = split_table_text("01234567890\n", "t", small);
    REQUIRE_FALSE(too_long);
    CHECK(too_long.error().code == mw::ErrorCode::TooLong);
    CHECK(too_long.error().pos->line == 1);
    // A logical line grows past the bound through its continuations.
    auto joined = split_table_text("k 1234\n 5678\n", "t", small);
    REQUIRE_FALSE(joined);
    CHECK(joined.error().pos->line == 2);
    CHECK(split_table_text("a 1\nb 2\n", "t", small));
    auto too_many = split_table_text("a 1\nb 2\nc 3\n", "t", small);
    REQUIRE_FALSE(too_many);
    CHECK(too_many.error().to_string() == "t:3: more than 2 entries");
}

TEST_CASE("table_text: CRLF line ends and a last line without newline", "[table]") {
    auto lines = split_table_text("a OK\r\nb REJECT", "t");
    REQUIRE(lines);
    REQUIRE(lines->size() == 2);
    CHECK((*lines)[0].text == "a OK");
    CHECK((*lines)[1].text == "b REJECT");
}

TEST_CASE("table_text: read_table_file names a missing file", "[table]") {
    auto lines = mw::table::read_table_file("/nonexistent/mw-table");
    REQUIRE_FALSE(lines);
    CHECK(lines.error().code == mw::ErrorCode::NotFound);
    CHECK(lines.error().message.find("/nonexistent/mw-table") == 0);
}

TEST_CASE("table_text: split_key_value", "[table]") {
    auto [k, v] = mw::table::split_key_value("key \t value with  spaces");
    CHECK(k == "key");
    CHECK(v == "value with  spaces");
    auto [k2, v2] = mw::table::split_key_value("lonely");
    CHECK(k2 == "lonely");
    CHECK(v2.empty());
}

TEST_CASE("table_text: kMaxTableLine, at the limit and one past", "[table]") {
    const std::string head = "k REJECT ";
    const std::string at = head + std::string(mw::limits::kMaxTableLine - head.size(), 'x');
    CHECK(split_table_text(at + "\n", "t"));
    auto past = split_table_text(at + "x\n", "t");
    REQUIRE_FALSE(past);
    CHECK(past.error().code == mw::ErrorCode::TooLong);
}
