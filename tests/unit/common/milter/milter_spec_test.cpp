#include <catch2/catch.hpp>

#include "common/milter/milter_spec.hpp"

using namespace mw::milter;

TEST_CASE("MilterSpec: steps not wanted become SMFIP_NO*, no-reply steps SMFIP_NR_*", "[milter]") {
    MilterSpec s;
    s.steps = {Step::Connect, Step::Mail, Step::Header, Step::Eoh, Step::Body};
    s.no_reply = {Step::Header, Step::Body};
    s.header_leading_space = true;
    const uint32_t p = protocol_bits(s, wire::kAllProtocol);
    CHECK((p & wire::kNoHelo) != 0);
    CHECK((p & wire::kNoRcpt) != 0);
    CHECK((p & wire::kNoData) != 0);
    CHECK((p & wire::kNoUnknown) != 0);
    CHECK((p & wire::kNoConnect) == 0);
    CHECK((p & wire::kNoReplyHeader) != 0);
    CHECK((p & wire::kNoReplyBody) != 0);
    CHECK((p & wire::kNoReplyEoh) == 0);
    CHECK((p & wire::kSkipFlag) != 0);
    CHECK((p & wire::kHeaderLeadingSpace) != 0);
}

TEST_CASE("MilterSpec: never asks for what the MTA did not offer", "[milter]") {
    MilterSpec s;
    s.no_reply = {Step::Header};
    s.header_leading_space = true;
    const uint32_t offered = wire::kNoHelo | wire::kNoRcpt;   // an old MTA
    CHECK((protocol_bits(s, offered) & ~offered) == 0);
}

TEST_CASE("negotiate: actions, SETSYMLIST only with macros and when offered", "[milter]") {
    MilterSpec s;
    s.actions.add_headers = true;
    s.actions.change_headers = true;
    auto n = negotiate(s, wire::kAllActions, wire::kAllProtocol);
    CHECK(n.ok);
    CHECK(n.actions == (wire::kActAddHeaders | wire::kActChangeHeaders));

    s.macros_at(wire::MacroStage::Connect) = {"daemon_name"};
    n = negotiate(s, wire::kAllActions, wire::kAllProtocol);
    CHECK((n.actions & wire::kActSetSymList) != 0);
    n = negotiate(s, wire::kActAddHeaders | wire::kActChangeHeaders, wire::kAllProtocol);
    CHECK(n.ok);   // no SETSYMLIST: the MTA's default lists, not an error
    CHECK((n.actions & wire::kActSetSymList) == 0);

    s.actions.quarantine = true;
    n = negotiate(s, wire::kActAddHeaders, wire::kAllProtocol);
    CHECK_FALSE(n.ok);
    CHECK(n.missing_actions == (wire::kActChangeHeaders | wire::kActQuarantine));
}

TEST_CASE("no_reply_bit per step", "[milter]") {
    CHECK(no_reply_bit(Step::Header) == wire::kNoReplyHeader);
    CHECK(no_reply_bit(Step::Rcpt) == wire::kNoReplyRcpt);
    CHECK(no_reply_bit(Step::Eom) == 0);
}
