#include "milters/spam/mime/charset_converter.hpp"

#include <catch2/catch.hpp>

#include "milters/spam/mime/message_parser.hpp"

using namespace mw::spam;

TEST_CASE("to_utf8: common charsets", "[spam][mime]") {
    mime_library_init();
    CHECK(to_utf8("caf\xE9", "ISO-8859-1") == "caf\xC3\xA9");
    CHECK(to_utf8("caf\xE9", "latin1") == "caf\xC3\xA9");
    // koi8-r "привет"
    CHECK(to_utf8("\xD0\xD2\xC9\xD7\xC5\xD4", "koi8-r") ==
          "\xD0\xBF\xD1\x80\xD0\xB8\xD0\xB2\xD0\xB5\xD1\x82");
    // iso-2022-jp "日本" (ESC $ B F| K\ ESC ( B): all ASCII bytes, still converted
    CHECK(to_utf8("\x1b$BF|K\\\x1b(B", "iso-2022-jp") == "\xE6\x97\xA5\xE6\x9C\xAC");
    // shift_jis "日本"
    CHECK(to_utf8("\x93\xfa\x96\x7b", "Shift_JIS") == "\xE6\x97\xA5\xE6\x9C\xAC");
    CHECK(to_utf8("\x93\xfa\x96\x7b", "sjis") == "\xE6\x97\xA5\xE6\x9C\xAC");
}

TEST_CASE("to_utf8: invalid bytes and unknown charsets never fail", "[spam][mime]") {
    mime_library_init();
    CHECK(to_utf8("a\xFF" "b", "utf-8") == "a\xEF\xBF\xBD" "b");
    CHECK(to_utf8("caf\xC3\xA9", "x-no-such-charset") == "caf\xC3\xA9");  // valid UTF-8 kept
    CHECK(to_utf8("caf\xE9", "x-no-such-charset") == "caf\xC3\xA9");      // else windows-1252
    CHECK(to_utf8("\x93quoted\x94", "") == "\xE2\x80\x9Cquoted\xE2\x80\x9D");
    // A truncated multibyte sequence at the end becomes U+FFFD, not an error.
    CHECK(to_utf8("\x93", "shift_jis") == "\xEF\xBF\xBD");
    CHECK(is_valid_utf8(to_utf8("\x81\x20\xA0\xFE", "shift_jis")));
}

TEST_CASE("is_valid_utf8 rejects overlongs and surrogates", "[spam][mime]") {
    CHECK(is_valid_utf8("plain \xE2\x82\xAC"));
    CHECK_FALSE(is_valid_utf8("\xC0\xAF"));
    CHECK_FALSE(is_valid_utf8("\xED\xA0\x80"));
    CHECK_FALSE(is_valid_utf8("\xF4\x90\x80\x80"));
    CHECK_FALSE(is_valid_utf8("\xE2\x82"));
}
