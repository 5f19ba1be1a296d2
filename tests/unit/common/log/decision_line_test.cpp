#include <catch2/catch.hpp>

#include "common/log/decision_line.hpp"

using mw::log::DecisionLine;

TEST_CASE("DecisionLine: the contract's format", "[log]") {
    auto line = DecisionLine("4BzLbd0Gx1z9t", "spf", "fail")
                    .add("identity", "mailfrom")
                    .add("client", "[203.0.113.9]")
                    .add("helo", "mx.example.org")
                    .add("envelope-from", "<a@example.org>")
                    .add("empty", "")
                    .finish("reject");
    CHECK(line == "4BzLbd0Gx1z9t: spf=fail identity=mailfrom client=[203.0.113.9] "
                  "helo=mx.example.org envelope-from=<a@example.org> action=reject");
}

TEST_CASE("DecisionLine: NOQUEUE and quoting", "[log]") {
    auto line = DecisionLine("", "spf", "permerror")
                    .add("problem", "bad \"mechanism\" x=y")
                    .add("ctl", "a\nb")
                    .finish("reject");
    CHECK(line == "NOQUEUE: spf=permerror problem=\"bad \\\"mechanism\\\" x=y\" ctl=\"a?b\" action=reject");
}

TEST_CASE("DecisionLine: parse round-trips", "[log]") {
    auto line = DecisionLine("ABC", "spf", "softfail").add("reason", "a b \"c\" \\ d").finish("prepend");
    auto p = DecisionLine::parse(line);
    REQUIRE(p);
    CHECK(p->queue_id == "ABC");
    REQUIRE(p->fields.size() == 3);
    CHECK(p->fields[1].second == "a b \"c\" \\ d");
    CHECK(p->fields[2] == std::pair<std::string, std::string>{"action", "prepend"});
    CHECK_FALSE(DecisionLine::parse("no decision here"));
    CHECK_FALSE(DecisionLine::parse("Q: spf=\"unterminated action=x"));
    CHECK_FALSE(DecisionLine::parse("Q: spf=pass"));
}
