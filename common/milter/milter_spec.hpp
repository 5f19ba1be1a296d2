// MilterSpec: what one milter needs from the MTA, declared once by each daemon: the protocol
// steps it wants (the others are negotiated away with SMFIP_NO*), the steps whose replies the MTA
// need not wait for (SMFIP_NR_*; a verdict given at such a step is held and delivered at the next
// step that replies), the macros per stage (smfi_setsymlist: the list REPLACES the MTA's default
// for that stage), the actions it may take (SMFIF_*), whether header values keep their leading
// space (SMFIP_HDR_LEADSPC), and what a failing callback answers. negotiate() is the pure option
// negotiation the driver's xxfi_negotiate runs. Thread-compatible.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "common/milter/protocol.hpp"

namespace mw::milter {

/// Protocol steps. Eom always happens and always replies; it is not negotiable.
enum class Step { Connect, Helo, Mail, Rcpt, Data, Header, Eoh, Body, Unknown, Eom };

/// A set of Steps.
class StepSet {
public:
    StepSet() = default;
    StepSet(std::initializer_list<Step> steps) {
        for (Step s : steps) add(s);
    }
    static StepSet all() {
        return {Step::Connect, Step::Helo, Step::Mail, Step::Rcpt, Step::Data, Step::Header,
                Step::Eoh, Step::Body, Step::Unknown};
    }
    void add(Step s) { bits_ |= bit(s); }
    bool has(Step s) const { return (bits_ & bit(s)) != 0; }

private:
    static uint32_t bit(Step s) { return 1u << static_cast<unsigned>(s); }
    uint32_t bits_ = 0;
};

enum class FailureAction { Tempfail, Accept };

struct MilterActions {
    bool add_headers = false;
    bool change_headers = false;   // change, insert (with add_headers) and delete
    bool quarantine = false;
    bool change_from = false;
    bool add_rcpts = false;
    bool del_rcpts = false;
    bool change_body = false;
};

struct MilterSpec {
    std::string name = "mailwarden";
    /// Steps the session is called for (connect and end of message always are).
    StepSet steps = {Step::Connect, Step::Helo, Step::Mail, Step::Rcpt, Step::Header, Step::Eoh,
                     Step::Body};
    /// Steps whose replies the MTA does not wait for (fewer round trips).
    StepSet no_reply;
    /// Macro names per stage (index = wire::MacroStage), e.g. {"daemon_name", "client_addr"}.
    /// Empty: keep the MTA's default list for that stage.
    std::array<std::vector<std::string>, wire::kMacroStages> macros;
    MilterActions actions;
    bool header_leading_space = false;
    /// Callbacks that throw answer this (Postfix's milter_default_action, on our side).
    FailureAction on_failure = FailureAction::Tempfail;

    std::vector<std::string>& macros_at(wire::MacroStage s) { return macros[static_cast<int>(s)]; }
    const std::vector<std::string>& macros_at(wire::MacroStage s) const {
        return macros[static_cast<int>(s)];
    }
};

/// The outcome of option negotiation against what the MTA offered.
struct Negotiated {
    uint32_t actions = 0;
    uint32_t protocol = 0;
    bool ok = true;           // false: the MTA cannot do an action the milter needs
    uint32_t missing_actions = 0;
};

/// SMFIF_* bits for the spec's actions (plus SETSYMLIST when it names macros).
uint32_t action_bits(const MilterSpec& spec);
/// SMFIP_* bits the spec asks for, limited to those the MTA offered (`offered`).
uint32_t protocol_bits(const MilterSpec& spec, uint32_t offered);
Negotiated negotiate(const MilterSpec& spec, uint32_t offered_actions, uint32_t offered_protocol);
/// The no-reply bit (SMFIP_NR_*) for a step, 0 for steps that always reply.
uint32_t no_reply_bit(Step s);

}  // namespace mw::milter
