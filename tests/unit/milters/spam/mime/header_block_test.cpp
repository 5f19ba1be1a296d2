#include "milters/spam/mime/header_block.hpp"

#include <catch2/catch.hpp>

#include "common/base/limits.hpp"

using namespace mw::spam;

TEST_CASE("parse_header_block: fields + folding kept in raw + body offset", "[spam][mime]") {
    const std::string text = "Subject: hello\r\n\tworld\r\nX-A :  v\r\n\r\nbody\r\n";
    const HeaderBlock b = parse_header_block(text);
    REQUIRE(b.fields.size() == 2);
    CHECK(b.fields[0].name == "Subject");
    CHECK(b.fields[0].raw == "hello\n\tworld");
    CHECK(b.fields[0].decoded == "hello world");
    CHECK(b.fields[1].name == "X-A");
    CHECK(b.fields[1].raw == "v");
    CHECK(text.substr(b.body_offset) == "body\r\n");
    CHECK_FALSE(b.missing_head_body_separator);
}

TEST_CASE("parse_header_block: missing separator cases", "[spam][mime]") {
    HeaderBlock b = parse_header_block("Subject: x\nFrom: y");
    CHECK(b.missing_head_body_separator);
    CHECK(b.fields.size() == 2);
    const std::string boundary = "Subject: x\n--b1\nbody\n";
    b = parse_header_block(boundary);
    CHECK(b.missing_head_body_separator);
    CHECK(boundary.substr(b.body_offset) == "--b1\nbody\n");
    // Three invalid lines are skipped; the fourth starts the body.
    const std::string junk = "A: 1\nbad one\nbad two\nbad three\nbad four\nmore\n";
    b = parse_header_block(junk);
    CHECK(b.missing_head_body_separator);
    CHECK(junk.substr(b.body_offset) == "bad four\nmore\n");
    CHECK(b.fields.size() == 1);
}

TEST_CASE("parse_header_block: bounds on name and value length", "[spam][mime]") {
    // SA counts the value after the colon with its leading blank and line end.
    const std::string fill(mw::limits::kMaxSpamHeaderValue - 2, 'v');
    HeaderBlock b = parse_header_block("X: " + fill + "\n\n");
    CHECK_FALSE(b.truncated);
    b = parse_header_block("X: " + fill + "v\n\n");
    CHECK(b.truncated);
    const std::string name(mw::limits::kMaxSpamHeaderName + 1, 'N');
    b = parse_header_block(name + ": v\n\n");
    CHECK(b.truncated);
    CHECK(b.fields.at(0).name.size() == mw::limits::kMaxSpamHeaderName);
}
