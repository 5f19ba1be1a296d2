#include <catch2/catch.hpp>

#include "milters/dkim/canonicalization.hpp"
#include "milters/dkim/message_header.hpp"

using namespace mw::dkim;

TEST_CASE("Canonicalization: c= values", "[dkim]") {
    CHECK(parse_canonicalization("relaxed/simple") == Canonicalization{Canon::Relaxed, Canon::Simple});
    CHECK(parse_canonicalization("Simple/Relaxed") == Canonicalization{Canon::Simple, Canon::Relaxed});
    CHECK(parse_canonicalization("relaxed") == Canonicalization{Canon::Relaxed, Canon::Simple});  // §3.5
    CHECK_FALSE(parse_canonicalization("relaxed/"));
    CHECK_FALSE(parse_canonicalization("nofws"));
    CHECK_FALSE(parse_canonicalization(""));
    CHECK(canonicalization_text({Canon::Relaxed, Canon::Relaxed}) == "relaxed/relaxed");
}

TEST_CASE("Canonicalization: RFC 6376 §3.4.5 header examples", "[dkim]") {
    const MessageHeader a{"A", " X"};
    const MessageHeader b{"B ", " Y\t\r\n\tZ  "};
    CHECK(canonicalize_header(a, Canon::Relaxed) == "a:X\r\n");
    CHECK(canonicalize_header(b, Canon::Relaxed) == "b:Y Z\r\n");
    CHECK(canonicalize_header(a, Canon::Simple) == "A: X\r\n");
    CHECK(canonicalize_header(b, Canon::Simple) == "B : Y\t\r\n\tZ  \r\n");
}

TEST_CASE("Canonicalization: relaxed header edge cases", "[dkim]") {
    CHECK(canonicalize_header({"Subject", ""}, Canon::Relaxed) == "subject:\r\n");
    CHECK(canonicalize_header({"Subject", "   \t "}, Canon::Relaxed) == "subject:\r\n");
    CHECK(canonicalize_header({"SUBJECT", "\tHello   \t World\t"}, Canon::Relaxed) == "subject:Hello World\r\n");
    CHECK(canonicalize_header({"X", " a\r\n b\r\n\tc"}, Canon::Relaxed) == "x:a b c\r\n");
}

TEST_CASE("MessageHeader: the milter forms map to the bytes Postfix writes", "[dkim]") {
    // Without SMFIP_HDR_LEADSPC the value arrives without its space; folds arrive as "\n".
    const auto h = header_from_milter("Subject", "hello\n\tworld", false);
    CHECK(h.value == " hello\r\n\tworld");
    CHECK(canonicalize_header(h, Canon::Simple) == "Subject: hello\r\n\tworld\r\n");
    // With LEADSPC the value is exactly what follows the colon, even no space at all.
    CHECK(header_from_milter("Subject", "x", true).value == "x");
    CHECK(header_from_milter("Subject", "  two", true).value == "  two");
    CHECK(header_from_milter("X", "a\r\n b", true).value == "a\r\n b");
    // And back: "\n" joins, the leading space dropped unless LEADSPC.
    CHECK(header_value_for_milter(h, false) == "hello\n\tworld");
    CHECK(header_value_for_milter(h, true) == " hello\n\tworld");
    CHECK(to_crlf("a\nb\r\nc\n") == "a\r\nb\r\nc\r\n");
}
