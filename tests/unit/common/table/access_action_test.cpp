#include <catch2/catch.hpp>

#include <optional>
#include <string>

#include "common/table/access_action.hpp"

using mw::table::AccessAction;
using mw::table::AccessKind;
using mw::table::parse_access_action;

namespace {

struct ActionCase {
    const char* value;
    AccessKind kind;
    std::optional<int> code;
    const char* dsn;
    const char* text;
    int reply_code;  // 0: not a reply
};

}  // namespace

TEST_CASE("AccessAction: every supported action, as access(5) describes it", "[table]") {
    const ActionCase cases[] = {
        {"OK", AccessKind::Ok, {}, "", "", 0},
        {"ok trailing text ignored", AccessKind::Ok, {}, "", "", 0},
        {"RELAY", AccessKind::Ok, {}, "", "", 0},
        {"12345", AccessKind::Ok, {}, "", "", 0},         // all-numeric = OK
        {"550", AccessKind::Ok, {}, "", "", 0},           // a bare code is all-numeric too
        {"DUNNO", AccessKind::Dunno, {}, "", "", 0},
        {"dunno text ignored", AccessKind::Dunno, {}, "", "", 0},
        {"REJECT", AccessKind::Reject, {}, "5.7.1", "", 554},
        {"REJECT go away", AccessKind::Reject, {}, "5.7.1", "go away", 554},
        {"reject 5.7.26 bad sender", AccessKind::Reject, {}, "5.7.26", "bad sender", 554},
        {"DEFER", AccessKind::Defer, {}, "4.7.1", "", 450},
        {"DEFER try later", AccessKind::Defer, {}, "4.7.1", "try later", 450},
        {"DEFER 5.7.1 class fixed", AccessKind::Defer, {}, "4.7.1", "class fixed", 450},
        {"550 no thanks", AccessKind::Reject, 550, "5.7.1", "no thanks", 550},
        {"521 5.7.0 bye", AccessKind::Reject, 521, "5.7.0", "bye", 521},
        {"451 4.3.0 later", AccessKind::Defer, 451, "4.3.0", "later", 451},
        {"421 5.3.0 later", AccessKind::Defer, 421, "4.3.0", "later", 421},
        {"DISCARD", AccessKind::Discard, {}, "", "", 0},
        {"DISCARD spam trap", AccessKind::Discard, {}, "", "spam trap", 0},
        {"HOLD", AccessKind::Hold, {}, "", "", 0},
        {"HOLD look at it", AccessKind::Hold, {}, "", "look at it", 0},
        {"WARN suspicious", AccessKind::Warn, {}, "", "suspicious", 0},
        {"WARN", AccessKind::Warn, {}, "", "", 0},
        {"PREPEND X-Listed: yes", AccessKind::Prepend, {}, "", "X-Listed: yes", 0},
    };
    for (const auto& c : cases) {
        INFO(c.value);
        auto a = parse_access_action(c.value);
        REQUIRE(a);
        CHECK(a->kind == c.kind);
        CHECK(a->code == c.code);
        CHECK(a->dsn == c.dsn);
        CHECK(a->text == c.text);
        if (c.reply_code) CHECK(a->reply_code() == c.reply_code);
    }
}

TEST_CASE("AccessAction: actions a milter cannot perform are errors", "[table]") {
    const char* unsupported[] = {"FILTER smtp:[127.0.0.1]:10025", "REDIRECT a@example.com", "BCC a@example.com",
                                 "DEFER_IF_REJECT", "DEFER_IF_PERMIT", "permit_mynetworks",
                                 "reject_unknown_sender_domain", "hash:/etc/postfix/other", "SOMETHING"};
    for (const char* v : unsupported) {
        INFO(v);
        auto a = parse_access_action(v);
        REQUIRE_FALSE(a);
        CHECK(a.error().code == mw::ErrorCode::Unsupported);
    }
    CHECK(parse_access_action("FILTER x:y").error().message.find("not supported by a milter") != std::string::npos);
}

TEST_CASE("AccessAction: malformed values", "[table]") {
    CHECK_FALSE(parse_access_action(""));
    CHECK_FALSE(parse_access_action("PREPEND"));
    CHECK_FALSE(parse_access_action("PREPEND no colon here"));
    CHECK_FALSE(parse_access_action("PREPEND : empty name"));
    CHECK_FALSE(parse_access_action("350 not 4 or 5"));  // neither numeric-only nor 4NN/5NN
    CHECK_FALSE(parse_access_action("55 short"));
}

TEST_CASE("AccessAction: to_string names every kind", "[table]") {
    CHECK(std::string(mw::table::to_string(AccessKind::Ok)) == "ok");
    CHECK(std::string(mw::table::to_string(AccessKind::Prepend)) == "prepend");
    CHECK(std::string(mw::table::to_string(AccessKind::Defer)) == "defer");
}
