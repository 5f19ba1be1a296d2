// decide_action(): which outcome the counted signatures give, which signatures count (alignment
// with action_domains), and the replies each action makes.
#include <catch2/catch.hpp>

#include "milters/dkim/verify_actions.hpp"

using namespace mw::dkim;
using Kind = mw::milter::Reply::Kind;

namespace {

VerifyResult result(VerifyStatus s, const std::string& d) {
    VerifyResult r;
    r.status = s;
    r.domain = d;
    return r;
}

VerifyActions strict() {
    VerifyActions a;
    a.on_fail = ResultAction::Reject;
    a.on_permerror = ResultAction::Hold;
    a.on_temperror = ResultAction::Tempfail;
    a.on_none = ResultAction::Discard;
    return a;
}

}  // namespace

TEST_CASE("VerifyActions: the default accepts everything", "[dkim][actions]") {
    VerifyActions a;
    CHECK_FALSE(a.any());
    CHECK_FALSE(decide_action(a, "example.com", {result(VerifyStatus::Fail, "example.com")}));
    CHECK_FALSE(decide_action(a, "example.com", {}));
}

TEST_CASE("VerifyActions: outcome over every signature without action_domains", "[dkim][actions]") {
    const auto a = strict();
    using S = VerifyStatus;
    SECTION("any pass wins") {
        CHECK_FALSE(decide_action(a, "example.com", {result(S::Fail, "example.com"), result(S::Pass, "list.example")}));
    }
    SECTION("temperror before fail before permerror") {
        auto d = decide_action(a, "", {result(S::PermError, "a.example"), result(S::Fail, "b.example"),
                                       result(S::TempError, "c.example")});
        REQUIRE(d);
        CHECK(d->outcome == "temperror");
        CHECK(d->action == ResultAction::Tempfail);
        d = decide_action(a, "", {result(S::PermError, "a.example"), result(S::Policy, "b.example")});
        REQUIRE(d);
        CHECK(d->outcome == "fail");
        d = decide_action(a, "", {result(S::PermError, "a.example")});
        REQUIRE(d);
        CHECK(d->outcome == "permerror");
        CHECK(d->action == ResultAction::Hold);
    }
    SECTION("no signature is none") {
        const auto d = decide_action(a, "example.com", {});
        REQUIRE(d);
        CHECK(d->outcome == "none");
        CHECK(d->domain.empty());
        CHECK(d->reply().kind == Kind::Discard);
    }
    SECTION("an outcome mapped to accept is no decision") {
        auto lax = a;
        lax.on_fail = ResultAction::Accept;
        CHECK_FALSE(decide_action(lax, "", {result(S::Fail, "b.example")}));
    }
}

TEST_CASE("VerifyActions: action_domains count only aligned signatures", "[dkim][actions]") {
    auto a = strict();
    a.domains = {"bank.example"};
    using S = VerifyStatus;
    SECTION("mail from other domains is left alone") {
        CHECK_FALSE(decide_action(a, "other.example", {result(S::Fail, "other.example")}));
        CHECK_FALSE(decide_action(a, "notbank.example", {}));
        CHECK_FALSE(decide_action(a, "", {}));   // no usable From:
    }
    SECTION("a third party's pass does not rescue a listed From:") {
        const auto d = decide_action(a, "bank.example", {result(S::Pass, "list.example")});
        REQUIRE(d);
        CHECK(d->outcome == "none");
        CHECK(d->domain == "bank.example");
    }
    SECTION("an aligned pass, also from a parent d= for a subdomain author") {
        CHECK_FALSE(decide_action(a, "bank.example", {result(S::Pass, "BANK.example")}));
        CHECK_FALSE(decide_action(a, "mail.bank.example", {result(S::Pass, "bank.example")}));
        const auto d = decide_action(a, "Mail.Bank.Example", {result(S::Fail, "bank.example")});
        REQUIRE(d);
        CHECK(d->outcome == "fail");
        CHECK(d->domain == "mail.bank.example");
    }
    SECTION("a child d= or a bare TLD does not align") {
        auto d = decide_action(a, "bank.example", {result(S::Pass, "mail.bank.example")});
        REQUIRE(d);
        CHECK(d->outcome == "none");
        a.domains = {"example"};
        d = decide_action(a, "bank.example", {result(S::Pass, "example")});
        REQUIRE(d);
        CHECK(d->outcome == "none");
    }
}

TEST_CASE("VerifyActions: replies", "[dkim][actions]") {
    ActionDecision d{ResultAction::Reject, "fail", "bank.example"};
    auto r = d.reply();
    CHECK(r.kind == Kind::Reject);
    CHECK(r.code == "550");
    CHECK(r.dsn == "5.7.1");
    CHECK(r.text == "DKIM signature of mail from bank.example did not verify");
    d = {ResultAction::Tempfail, "temperror", "bank.example"};
    r = d.reply();
    CHECK(r.kind == Kind::Tempfail);
    CHECK(r.code == "451");
    CHECK(r.dsn == "4.7.5");
    CHECK(r.text == "DKIM key lookup failed for mail from bank.example, try again later");
    d = {ResultAction::Reject, "none", ""};
    CHECK(d.reply().text == "DKIM signature required for the message");
    d = {ResultAction::Hold, "permerror", "bank.example"};
    r = d.reply();
    CHECK(r.kind == Kind::Quarantine);
    CHECK(r.text == "dkim=permerror bank.example");
    d = {ResultAction::Accept, "fail", ""};
    CHECK(d.reply().kind == Kind::Continue);
}

TEST_CASE("VerifyActions: config words", "[dkim][actions]") {
    for (auto a : {ResultAction::Accept, ResultAction::Reject, ResultAction::Tempfail, ResultAction::Hold,
                   ResultAction::Discard})
        CHECK(parse_result_action(result_action_name(a)) == a);
    CHECK_FALSE(parse_result_action("quarantine"));
    CHECK_FALSE(parse_result_action(""));
}
