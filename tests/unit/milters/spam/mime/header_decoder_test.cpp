#include "milters/spam/mime/header_decoder.hpp"

#include <catch2/catch.hpp>

#include "milters/spam/mime/message_parser.hpp"

using namespace mw::spam;

TEST_CASE("decode_header_value: unfolding as SpamAssassin", "[spam][mime]") {
    CHECK(decode_header_value("one\n\ttwo\n three", "Subject") == "one two three");
    // Node::header: a line end and the whole white space run after it become one space.
    CHECK(decode_header_value("one\r\n  two", "Subject") == "one two");
    CHECK(decode_header_value("  padded\n\t ", "Subject") == "padded");
}

TEST_CASE("decode_header_value: RFC 2047 B and Q words", "[spam][mime]") {
    mime_library_init();
    CHECK(decode_header_value("=?UTF-8?B?Y2Fmw6k=?=", "Subject") == "caf\xC3\xA9");
    CHECK(decode_header_value("=?iso-8859-1?q?caf=E9_au_lait?=", "Subject") ==
          "caf\xC3\xA9 au lait");
    // White space between adjacent encoded words is dropped (RFC 2047 6.2).
    CHECK(decode_header_value("=?utf-8?q?a?= \n =?utf-8?q?b?= c", "Subject") == "ab c");
    // Text around words stays; language suffix (RFC 2231) ignored.
    CHECK(decode_header_value("Re: =?US-ASCII*EN?Q?Keith_Moore?= x", "From") == "Re: Keith Moore x");
    CHECK(decode_header_value("=?koi8-r?B?0NLJ18XU?=", "Subject") ==
          "\xD0\xBF\xD1\x80\xD0\xB8\xD0\xB2\xD0\xB5\xD1\x82");
}

TEST_CASE("decode_header_value: split multibyte char across words is joined", "[spam][mime]") {
    mime_library_init();
    // "é" (C3 A9) split over two base64 words of the same charset (SA Bug 7249).
    CHECK(decode_header_value("=?utf-8?B?ww==?= =?utf-8?B?qQ==?=", "Subject") == "\xC3\xA9");
    CHECK(decode_header_value("=?utf-8?Q?=C3?= =?utf-8?Q?=A9?=", "Subject") == "\xC3\xA9");
}

TEST_CASE("decode_header_value: fields SA leaves encoded + broken words", "[spam][mime]") {
    mime_library_init();
    CHECK(decode_header_value("<=?utf-8?q?x?=@example.com>", "Message-ID") == "<=?utf-8?q?x?=@example.com>");
    CHECK(decode_header_value("=?utf-8?q?x?=", "List-Id") == "=?utf-8?q?x?=");
    CHECK(decode_header_value("=?bogus?x?zz?= =?utf-8?q?ok", "Subject") == "=?bogus?x?zz?= =?utf-8?q?ok");
    CHECK(decode_header_value("=?no-such-cs?q?caf=E9?=", "Subject") == "caf\xC3\xA9");
    CHECK(decode_header_value("raw \xE9t\xE9", "Subject") == "raw \xC3\xA9t\xC3\xA9");
}
