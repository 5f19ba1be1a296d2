#include "common/milter/milter_spec.hpp"

namespace mw::milter {

namespace {

struct StepBits {
    Step step;
    uint32_t no_step;    // SMFIP_NO*: do not send this step
    uint32_t no_reply;   // SMFIP_NR_*: do not wait for a reply
};

constexpr StepBits kStepBits[] = {
    {Step::Connect, wire::kNoConnect, wire::kNoReplyConnect},
    {Step::Helo, wire::kNoHelo, wire::kNoReplyHelo},
    {Step::Mail, wire::kNoMail, wire::kNoReplyMail},
    {Step::Rcpt, wire::kNoRcpt, wire::kNoReplyRcpt},
    {Step::Data, wire::kNoData, wire::kNoReplyData},
    {Step::Header, wire::kNoHeaders, wire::kNoReplyHeader},
    {Step::Eoh, wire::kNoEoh, wire::kNoReplyEoh},
    {Step::Body, wire::kNoBody, wire::kNoReplyBody},
    {Step::Unknown, wire::kNoUnknown, wire::kNoReplyUnknown},
};

bool names_macros(const MilterSpec& spec) {
    for (const auto& list : spec.macros)
        if (!list.empty()) return true;
    return false;
}

}  // namespace

uint32_t no_reply_bit(Step s) {
    for (const auto& b : kStepBits)
        if (b.step == s) return b.no_reply;
    return 0;
}

uint32_t action_bits(const MilterSpec& spec) {
    const auto& a = spec.actions;
    uint32_t bits = 0;
    if (a.add_headers) bits |= wire::kActAddHeaders;
    if (a.change_headers) bits |= wire::kActChangeHeaders;
    if (a.quarantine) bits |= wire::kActQuarantine;
    if (a.change_from) bits |= wire::kActChangeFrom;
    if (a.add_rcpts) bits |= wire::kActAddRcpt;
    if (a.del_rcpts) bits |= wire::kActDelRcpt;
    if (a.change_body) bits |= wire::kActChangeBody;
    if (names_macros(spec)) bits |= wire::kActSetSymList;
    return bits;
}

uint32_t protocol_bits(const MilterSpec& spec, uint32_t offered) {
    uint32_t bits = 0;
    for (const auto& b : kStepBits) {
        if (!spec.steps.has(b.step)) {
            bits |= b.no_step;
        } else if (spec.no_reply.has(b.step)) {
            bits |= b.no_reply;
        }
    }
    // SKIP lets a session stop the body early; harmless when never used.
    if (spec.steps.has(Step::Body)) bits |= wire::kSkipFlag;
    if (spec.header_leading_space) bits |= wire::kHeaderLeadingSpace;
    // Only what the MTA offered: asking for more makes libmilter drop the connection.
    return bits & offered;
}

Negotiated negotiate(const MilterSpec& spec, uint32_t offered_actions, uint32_t offered_protocol) {
    Negotiated n;
    uint32_t wanted = action_bits(spec);
    // Without SETSYMLIST the MTA's default macro lists apply: not an error.
    if ((offered_actions & wire::kActSetSymList) == 0) wanted &= ~wire::kActSetSymList;
    n.missing_actions = wanted & ~offered_actions;
    n.ok = n.missing_actions == 0;
    n.actions = wanted & offered_actions;
    n.protocol = protocol_bits(spec, offered_protocol);
    return n;
}

}  // namespace mw::milter
