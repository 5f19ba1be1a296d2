#include "milters/spam/mime/transfer_decoder.hpp"

#include <catch2/catch.hpp>

using namespace mw::spam;

TEST_CASE("decode_base64: plain + wrapped + junk and missing padding", "[spam][mime]") {
    std::string out;
    CHECK_FALSE(decode_base64("aGVsbG8gd29y\r\nbGQ=", out, 100));
    CHECK(out == "hello world");
    out.clear();
    decode_base64("aGV*sbG8", out, 100);  // junk skipped, no padding
    CHECK(out == "hello");
    out.clear();
    decode_base64("aGk=aGk=", out, 100);  // padding in the middle is ignored
    CHECK(out == "hihi");
}

TEST_CASE("decode_base64: output cap reports truncation", "[spam][mime]") {
    std::string out;
    CHECK(decode_base64("aGVsbG8gd29ybGQ=", out, 5));
    CHECK(out == "hello");
    out.clear();
    CHECK_FALSE(decode_base64("aGVsbG8=", out, 5));  // exactly at the cap
    CHECK(out == "hello");
}

TEST_CASE("decode_quoted_printable: escapes + soft breaks + trailing blanks", "[spam][mime]") {
    std::string out;
    CHECK_FALSE(decode_quoted_printable("caf=C3=A9 =\r\nau lait  \nnext=3d=XY=", out, 100));
    CHECK(out == "caf\xC3\xA9 au lait\nnext==XY=");
    out.clear();
    CHECK(decode_quoted_printable("abcdef", out, 3));
    CHECK(out == "abc");
}

TEST_CASE("decode_q_encoding: underscore is space + even at the end", "[spam][mime]") {
    CHECK(decode_q_encoding("caf=E9_au_lait_") == "caf\xE9 au lait ");
}
