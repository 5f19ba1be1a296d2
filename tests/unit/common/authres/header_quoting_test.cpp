#include <catch2/catch.hpp>

#include "common/authres/header_quoting.hpp"

using namespace mw::authres;

TEST_CASE("header_quoting: RFC 2045 tokens", "[authres]") {
    CHECK(is_mime_token("example.com"));
    CHECK(is_mime_token("pass"));
    CHECK_FALSE(is_mime_token(""));
    CHECK_FALSE(is_mime_token("a b"));
    for (char c : std::string("()<>@,;:\\\"/[]?=")) {
        INFO("tspecial " << c);
        CHECK_FALSE(is_mime_token(std::string("a") + c + "b"));
    }
    CHECK_FALSE(is_mime_token("a\tb"));
    CHECK_FALSE(is_mime_token("caf\xc3\xa9"));
}

TEST_CASE("header_quoting: RFC 5322 dot-atoms", "[authres]") {
    CHECK(is_dot_atom("foo.example.com"));
    CHECK(is_dot_atom("192.0.2.1"));
    CHECK(is_dot_atom("a+b=c"));
    CHECK_FALSE(is_dot_atom(""));
    CHECK_FALSE(is_dot_atom(".a"));
    CHECK_FALSE(is_dot_atom("a."));
    CHECK_FALSE(is_dot_atom("a..b"));
    CHECK_FALSE(is_dot_atom("myname@example.com"));
    CHECK_FALSE(is_dot_atom("2001:db8::1"));
    CHECK_FALSE(is_dot_atom("<>"));
}

TEST_CASE("header_quoting: quoted strings and comments escape their delimiters", "[authres]") {
    CHECK(quoted_string("a\"b\\c") == "\"a\\\"b\\\\c\"");
    CHECK(quoted_string("") == "\"\"");
    CHECK(comment("x (y) \\z") == "(x \\(y\\) \\\\z)");
    CHECK(comment("line\r\nbreak") == "(line  break)");
}

TEST_CASE("header_quoting: values pick bare or quoted form", "[authres]") {
    CHECK(mime_value("example.com") == "example.com");
    CHECK(mime_value("good signature") == "\"good signature\"");
    CHECK(property_value("example.net") == "example.net");
    CHECK(property_value("sender@example.net") == "sender@example.net");
    CHECK(property_value("@example.net") == "@example.net");
    CHECK(property_value("a b@example.net") == "\"a b@example.net\"");
    CHECK(property_value("x@not a domain") == "\"x@not a domain\"");
    CHECK(property_value("2001:db8::1") == "\"2001:db8::1\"");
    CHECK(dot_atom_or_quoted("foo.example.com") == "foo.example.com");
    CHECK(dot_atom_or_quoted("myname@example.com") == "\"myname@example.com\"");
}
