#include <catch2/catch.hpp>

#include <string>

#include "common/base/limits.hpp"
#include "policyd/policy_reply.hpp"

using mw::policyd::PolicyReply;
using mw::policyd::ReplyAction;
using mw::policyd::sanitize_reply_text;

TEST_CASE("PolicyReply: wire form of each action", "[policyd]") {
    struct Row {
        PolicyReply reply;
        ReplyAction action;
        std::string wire;
    };
    const Row rows[] = {
        {PolicyReply::dunno(), ReplyAction::Dunno, "action=DUNNO\n\n"},
        {PolicyReply::prepend("Received-SPF: pass (x) helo=a;"), ReplyAction::Prepend,
         "action=PREPEND Received-SPF: pass (x) helo=a;\n\n"},
        {PolicyReply::reject("SPF fail"), ReplyAction::Reject, "action=REJECT SPF fail\n\n"},
        {PolicyReply::reject("SPF fail", "550", "5.7.23"), ReplyAction::Reject,
         "action=550 5.7.23 SPF fail\n\n"},
        {PolicyReply::reject("SPF fail", "550"), ReplyAction::Reject, "action=550 SPF fail\n\n"},
        {PolicyReply::defer("later", "451", "4.7.24"), ReplyAction::Defer,
         "action=451 4.7.24 later\n\n"},
        {PolicyReply::defer("later"), ReplyAction::Defer, "action=DEFER later\n\n"},
        {PolicyReply::defer_if_permit("later", "4.7.24"), ReplyAction::DeferIfPermit,
         "action=DEFER_IF_PERMIT 4.7.24 later\n\n"},
        {PolicyReply::defer_if_permit("later"), ReplyAction::DeferIfPermit,
         "action=DEFER_IF_PERMIT later\n\n"},
    };
    for (const auto& row : rows) {
        CHECK(row.reply.to_wire() == row.wire);
        CHECK(row.reply.action() == row.action);
    }
}

TEST_CASE("PolicyReply: malformed codes fall back to the keyword", "[policyd]") {
    // A 4xx code on a reject (or 5xx on a defer) would change the meaning: refuse it.
    CHECK(PolicyReply::reject("t", "451", "4.7.24").to_wire() == "action=REJECT t\n\n");
    CHECK(PolicyReply::defer("t", "550", "5.7.23").to_wire() == "action=DEFER t\n\n");
    CHECK(PolicyReply::reject("t", "55x", "5.7").to_wire() == "action=REJECT t\n\n");
    CHECK(PolicyReply::reject("t", "550", "5.7.1234").to_wire() == "action=550 t\n\n");
}

TEST_CASE("PolicyReply: text cannot inject a line or a second attribute", "[policyd]") {
    const auto wire =
        PolicyReply::reject("bad\n\naction=OK\r\nx\x01y\x7f\xc3\xa9", "550", "5.7.23").to_wire();
    CHECK(wire == "action=550 5.7.23 bad action=OK x y ??\n\n");
    CHECK(PolicyReply::prepend("X-Test: a\nB: c").to_wire() == "action=PREPEND X-Test: a B: c\n\n");
}

TEST_CASE("PolicyReply: the line is bounded by kMaxPolicyReplyText", "[policyd]") {
    const std::string huge(5000, 'h');
    const auto r = PolicyReply::prepend("X-Test: " + huge);
    CHECK(r.line().size() == mw::limits::kMaxPolicyReplyText);
    CHECK(r.to_wire().size() == mw::limits::kMaxPolicyReplyText + 9);
    const std::string fits(mw::limits::kMaxPolicyReplyText - 8, 'f');
    CHECK(PolicyReply::prepend(fits).line() == "PREPEND " + fits);
}

TEST_CASE("PolicyReply: empty prepend is DUNNO", "[policyd]") {
    CHECK(PolicyReply::prepend("").action() == ReplyAction::Dunno);
    CHECK(PolicyReply::prepend("\n").to_wire() == "action=DUNNO\n\n");
}

TEST_CASE("sanitize_reply_text: trims and collapses", "[policyd]") {
    CHECK(sanitize_reply_text("  a \t\t b  ", 100) == "a b");
    CHECK(sanitize_reply_text("abcdef", 3) == "abc");
    CHECK(sanitize_reply_text("ab   cd", 3) == "ab");
}

TEST_CASE("sanitize_reply_text: clean text is kept, each flaw still found", "[policyd]") {
    CHECK(sanitize_reply_text("a b c", 5) == "a b c");
    CHECK(sanitize_reply_text("a b c", 4) == "a b");
    CHECK(sanitize_reply_text(" a", 100) == "a");
    CHECK(sanitize_reply_text("a ", 100) == "a");
    CHECK(sanitize_reply_text("a  b", 100) == "a b");
    CHECK(sanitize_reply_text("a\x7f" "b", 100) == "a b");
    CHECK(sanitize_reply_text("a\xc3\xa9", 100) == "a??");
    CHECK(sanitize_reply_text("", 100).empty());
}

TEST_CASE("PolicyReply: a prepend of spaces and controls is DUNNO, of 8-bit bytes is not",
          "[policyd]") {
    CHECK(PolicyReply::prepend(" \t\x7f \r").action() == ReplyAction::Dunno);
    CHECK(PolicyReply::prepend("\xc3\xa9").line() == "PREPEND ??");
    CHECK(PolicyReply::prepend("X-A:  b ").line() == "PREPEND X-A: b");
}
