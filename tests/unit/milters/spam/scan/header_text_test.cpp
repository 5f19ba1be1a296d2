#include <catch2/catch.hpp>

#include "milters/spam/scan/header_text.hpp"

using namespace mw::spam;
using Mod = HeaderTarget::Modifier;

namespace {

std::vector<HeaderField> fields() {
    return {
        {"Received", "from a by b;\n\tTue, 24 Nov 2026 22:08:14 +0000", "from a by b; Tue, 24 Nov 2026 22:08:14 +0000"},
        {"From", "\"Joe  Bloggs\" <joe@example.com>", "\"Joe  Bloggs\" <joe@example.com>"},
        {"To", "a@x.example,\n b@y.example", "a@x.example, b@y.example"},
        {"Cc", "c@z.example", "c@z.example"},
        {"Subject", "=?UTF-8?B?SGVsbG8=?=", "Hello"},
        {"Received", "from c by d; Mon, 23 Nov 2026 10:00:00 +0000", "from c by d; Mon, 23 Nov 2026 10:00:00 +0000"},
        {"Message-Id", "<1@example.com>", "<1@example.com>"},
    };
}

HeaderTarget named(std::string name, std::vector<Mod> mods = {}) {
    HeaderTarget t;
    t.name = std::move(name);
    t.modifiers = std::move(mods);
    return t;
}

HeaderTarget special(HeaderTarget::Kind k, std::vector<Mod> mods = {}) {
    HeaderTarget t;
    t.kind = k;
    t.modifiers = std::move(mods);
    return t;
}

}  // namespace

TEST_CASE("header text: decoded value with a newline, raw unfolded, absent is nullopt") {
    auto f = fields();
    CHECK(header_text(f, named("Subject"), "") == "Hello\n");
    CHECK(header_text(f, named("subject"), "") == "Hello\n");   // names are case-insensitive
    CHECK(header_text(f, named("Subject", {Mod::Raw}), "") == "=?UTF-8?B?SGVsbG8=?=\n");
    CHECK(header_text(f, named("To", {Mod::Raw}), "") == "a@x.example, b@y.example\n");
    CHECK_FALSE(header_text(f, named("X-Nothing"), ""));
}

TEST_CASE("header text: every instance, :first and :last") {
    auto f = fields();
    auto all = header_text(f, named("Received"), "");
    REQUIRE(all);
    CHECK(all->find("22:08:14") < all->find("10:00:00"));
    CHECK(header_text(f, named("Received", {Mod::First}), "")->find("10:00:00") == std::string::npos);
    CHECK(header_text(f, named("Received", {Mod::Last}), "")->find("22:08:14") == std::string::npos);
}

TEST_CASE("header text: :addr and :name, one per line, no final newline") {
    auto f = fields();
    CHECK(header_text(f, named("From", {Mod::Addr}), "") == "joe@example.com");
    CHECK(header_text(f, named("From", {Mod::Name}), "") == "Joe Bloggs");   // white space runs collapsed
    CHECK(header_text(f, special(HeaderTarget::Kind::ToCc, {Mod::Addr}), "") == "a@x.example\nb@y.example\nc@z.example");
}

TEST_CASE("header text: ALL, MESSAGEID, EnvelopeFrom") {
    auto f = fields();
    auto all = header_text(f, special(HeaderTarget::Kind::All), "");
    REQUIRE(all);
    CHECK(all->find("Subject: Hello\n") != std::string::npos);
    CHECK(all->ends_with("Message-Id: <1@example.com>\n"));
    CHECK(header_text(f, special(HeaderTarget::Kind::MessageId), "") == "<1@example.com>\n");
    CHECK(header_text(f, special(HeaderTarget::Kind::EnvelopeFrom), "bounce@example.net") == "bounce@example.net\n");
    CHECK_FALSE(header_text(f, special(HeaderTarget::Kind::EnvelopeFrom), ""));
}

TEST_CASE("header text: helpers for eval tests") {
    auto f = fields();
    CHECK(header_values(f, "received").size() == 2);
    CHECK(last_header(f, "Received").find("10:00:00") != std::string_view::npos);
    CHECK(last_header(f, "Nope").empty());
}
