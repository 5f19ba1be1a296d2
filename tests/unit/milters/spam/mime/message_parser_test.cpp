#include "milters/spam/mime/message_parser.hpp"

#include <catch2/catch.hpp>

#include <algorithm>

using namespace mw::spam;

namespace {

std::string joined(const std::vector<std::string>& lines) {
    std::string s;
    for (const auto& l : lines) s += l;
    return s;
}

bool has_uri(const ParsedMessage& m, std::string_view uri) {
    return std::any_of(m.uris.begin(), m.uris.end(), [&](const FoundUri& u) { return u.uri == uri; });
}

const HeaderField* header(const ParsedMessage& m, std::string_view name) {
    for (const auto& h : m.headers)
        if (h.name == name) return &h;
    return nullptr;
}

}  // namespace

TEST_CASE("parse_message: simple text + Subject first in body_lines", "[spam][mime]") {
    const auto m = parse_message(
        "Subject: =?utf-8?q?Caf=C3=A9?=\r\nFrom: a@example.com\r\n\r\nHello   world.\r\n\r\n\r\nBye\r\n");
    REQUIRE(header(m, "Subject") != nullptr);
    CHECK(header(m, "Subject")->decoded == "Caf\xC3\xA9");
    CHECK(m.body_lines == std::vector<std::string>{"Caf\xC3\xA9\n", "Hello world.\n", "Bye "});
    CHECK(joined(m.rawbody_lines) == "Hello   world.\n\n\nBye\n");
    REQUIRE(m.parts.size() == 1);
    CHECK(m.parts[0].content_type == "text/plain");
    CHECK(m.parts[0].leaf);
    CHECK_FALSE(m.truncated);
}

TEST_CASE("parse_message: base64 latin1 and QP koi8-r parts", "[spam][mime]") {
    const auto m = parse_message(
        "Subject: t\nContent-Type: multipart/mixed; boundary=\"b\"\n\npreamble\n--b\n"
        "Content-Type: text/plain; charset=ISO-8859-1\nContent-Transfer-Encoding: base64\n\n"
        "Y2Fm6SBub2ly\n--b\nContent-Type: text/plain; charset=koi8-r\n"
        "Content-Transfer-Encoding: quoted-printable\n\n=D0=D2=C9=D7=C5=D4\n--b--\n");
    REQUIRE(m.parts.size() == 3);
    CHECK(m.parts[0].content_type == "multipart/mixed");
    CHECK_FALSE(m.parts[0].leaf);
    CHECK(m.parts[1].charset == "iso-8859-1");
    CHECK(m.parts[1].transfer_encoding == "base64");
    CHECK(m.parts[1].depth == 1);
    CHECK(m.parts[1].decoded_size == 9);
    const std::string body = joined(m.body_lines);
    CHECK(body.find("caf\xC3\xA9 noir") != std::string::npos);
    CHECK(body.find("\xD0\xBF\xD1\x80\xD0\xB8\xD0\xB2\xD0\xB5\xD1\x82") != std::string::npos);
    CHECK(body.find("preamble") == std::string::npos);
}

TEST_CASE("parse_message: alternative renders both - HTML rendered + raw kept raw", "[spam][mime]") {
    const auto m = parse_message(
        "Content-Type: multipart/alternative; boundary=alt\n\n--alt\nContent-Type: text/plain\n\n"
        "plain www.plain.example\n--alt\nContent-Type: text/html; charset=utf-8\n\n"
        "<html><body><p>Hi <b>there</b></p><a href=\"http://Click.Example.com/x\">x</a>"
        "<script>evil()</script></body></html>\n--alt--\n");
    const std::string body = joined(m.body_lines);
    CHECK(body.find("plain www.plain.example") != std::string::npos);
    CHECK(body.find("Hi there") != std::string::npos);
    CHECK(body.find("<b>") == std::string::npos);
    CHECK(body.find("evil") == std::string::npos);
    CHECK(joined(m.rawbody_lines).find("<b>there</b>") != std::string::npos);
    CHECK(m.html.has_html);
    CHECK(has_uri(m, "http://www.plain.example"));
    CHECK(has_uri(m, "http://Click.Example.com/x"));
    CHECK(has_uri(m, "http://click.example.com/x"));
    const auto it = std::find_if(m.uris.begin(), m.uris.end(),
                                 [](const FoundUri& u) { return u.uri == "http://Click.Example.com/x"; });
    CHECK(it->host == "click.example.com");
    CHECK(it->source == FoundUri::Source::Href);
}

TEST_CASE("parse_message: nested multipart and message/rfc822", "[spam][mime]") {
    const auto m = parse_message(
        "Subject: outer\nContent-Type: multipart/mixed; boundary=o\n\n--o\n"
        "Content-Type: multipart/alternative; boundary=i\n\n--i\nContent-Type: text/plain\n\ninner text\n"
        "--i--\n--o\nContent-Type: message/rfc822\n\nSubject: forwarded\nFrom: x@example.org\n\n"
        "forwarded body\n--o\nContent-Type: application/octet-stream; name=\"a.bin\"\n"
        "Content-Transfer-Encoding: base64\n\nAAAA\n--o--\n");
    std::vector<std::string> types;
    std::vector<int> depths;
    for (const auto& p : m.parts) {
        types.push_back(p.content_type);
        depths.push_back(p.depth);
    }
    CHECK(types == std::vector<std::string>{"multipart/mixed", "multipart/alternative", "text/plain",
                                            "message/rfc822", "text/plain", "application/octet-stream"});
    CHECK(depths == std::vector<int>{0, 1, 2, 1, 2, 1});
    CHECK(m.parts[4].headers.size() == 2);
    CHECK(m.parts[4].headers[0].decoded == "forwarded");
    CHECK(m.parts[5].filename == "a.bin");
    const std::string body = joined(m.body_lines);
    CHECK(body.find("inner text") != std::string::npos);
    CHECK(body.find("forwarded body") != std::string::npos);
    CHECK(m.body_lines.front() == "outer\n");
}

TEST_CASE("parse_message: missing boundary still shows the text", "[spam][mime]") {
    auto m = parse_message("Content-Type: multipart/mixed\n\nno boundary here http://nb.example/\n");
    CHECK(joined(m.body_lines).find("no boundary here") != std::string::npos);
    CHECK(has_uri(m, "http://nb.example/"));
    m = parse_message("Content-Type: multipart/mixed; boundary=zz\n\nthe boundary never comes\n");
    CHECK(joined(m.body_lines).find("the boundary never comes") != std::string::npos);
}

TEST_CASE("parse_message: mbox From line and separators", "[spam][mime]") {
    auto m = parse_message("From sender@example.com Mon Jan  1 00:00:00 2024\nSubject: s\n\nbody\n");
    CHECK(m.mbox_from_line);
    REQUIRE(m.headers.size() == 1);
    CHECK(m.headers[0].name == "Subject");
    m = parse_message("From: a@example.com\nSubject: s\n\nbody\n");
    CHECK_FALSE(m.mbox_from_line);
    m = parse_message("Subject: only headers");
    CHECK(m.missing_head_body_separator);
    m = parse_message("");
    CHECK(m.body_lines == std::vector<std::string>{"\n"});
    CHECK(m.parts.size() == 1);
}

TEST_CASE("parse_message: bad base64 and bad charset are not fatal", "[spam][mime]") {
    const auto m = parse_message(
        "Content-Type: text/plain; charset=\"x-unknown-charset\"\nContent-Transfer-Encoding: base64\n\n"
        "!!!aGVs*bG8g\nd29y bGQ=====garbage\n");
    CHECK(joined(m.body_lines).find("hello world") != std::string::npos);
}

TEST_CASE("parse_message: file name makes HTML (SA effective_type)", "[spam][mime]") {
    const auto m = parse_message(
        "Content-Type: application/octet-stream; name=\"page.html\"\n\n<p>rendered</p><a href=http://fn.example/>x</a>\n");
    CHECK(joined(m.body_lines).find("rendered") != std::string::npos);
    CHECK(joined(m.body_lines).find("<p>") == std::string::npos);
    CHECK(has_uri(m, "http://fn.example/"));
}
