#include <catch2/catch.hpp>

#include "common/base/limits.hpp"
#include "common/milter/mail_message.hpp"

using namespace mw::milter;
using K = Response::Kind;

TEST_CASE("MailMessage: headers, folds, body in CRLF", "[milter]") {
    auto m = MailMessage::parse("From: a@example.org\nSubject: one\n\ttwo\n\nline 1\nline 2\n");
    REQUIRE(m);
    REQUIRE(m->headers().size() == 2);
    CHECK(m->headers()[1].name == "Subject");
    CHECK(m->headers()[1].raw_value == " one\n\ttwo");
    CHECK(m->milter_value(1, false) == "one\n\ttwo");
    CHECK(m->milter_value(1, true) == " one\n\ttwo");
    CHECK(m->body() == "line 1\r\nline 2\r\n");
    CHECK(m->to_string() == "From: a@example.org\nSubject: one\n\ttwo\n\nline 1\nline 2\n");
}

TEST_CASE("MailMessage: CRLF files stay CRLF, mbox From_ line dropped", "[milter]") {
    auto m = MailMessage::parse("From x Mon Jan 1\r\nA: 1\r\n\r\nbody\r\n");
    REQUIRE(m);
    REQUIRE(m->headers().size() == 1);
    CHECK(m->to_string() == "A: 1\r\n\r\nbody\r\n");
}

TEST_CASE("MailMessage: a non-header line is an error", "[milter]") {
    CHECK_FALSE(MailMessage::parse("no colon here\n\nbody\n"));
    CHECK_FALSE(MailMessage::parse("Bad Name: x\n\nbody\n"));
}

TEST_CASE("MailMessage: size at the limit and one past", "[milter]") {
    std::string big = "A: 1\n\n" + std::string(mw::limits::kMaxMilterMessage - 6, 'x');
    CHECK(MailMessage::parse(big));
    big.push_back('x');
    auto r = MailMessage::parse(big);
    REQUIRE_FALSE(r);
    CHECK(r.error().code == mw::ErrorCode::TooLong);
}

TEST_CASE("MailMessage::apply: add, insert, change, delete, replace body", "[milter]") {
    auto m = MailMessage::parse("From: a\nSubject: s\nX-Del: 1\nX-Del: 2\n\nold\n");
    REQUIRE(m);
    m->apply({{K::AddHeader, "X-Added", "yes", "", 0},
              {K::InsertHeader, "X-First", "1", "", 0},
              {K::ChangeHeader, "subject", "[tag] s", "", 1},
              {K::ChangeHeader, "X-Del", "", "", 2},
              {K::ChangeHeader, "X-Missing", "v", "", 1},
              {K::ReplaceBody, "", "", "new\r\n", 0},
              {K::ReplaceBody, "", "", "more\r\n", 0}},
             false);
    CHECK(m->to_string() ==
          "X-First: 1\nFrom: a\nSubject: [tag] s\nX-Del: 1\nX-Added: yes\n\nnew\nmore\n");
}

TEST_CASE("MailMessage::apply: leading space negotiated, folded value", "[milter]") {
    auto m = MailMessage::parse("A: 1\n\nb\n");
    REQUIRE(m);
    m->apply({{K::AddHeader, "X-Sig", " v=1;\n\tb=abc", "", 0}}, true);
    CHECK(m->to_string() == "A: 1\nX-Sig: v=1;\n\tb=abc\n\nb\n");
}
