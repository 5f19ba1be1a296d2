// RenderedDecision: a Decision turned into the bytes that leave the process, once: the reply for
// the first recipient, the reply for later recipients of the same message (a PREPEND becomes
// DUNNO: the header goes out once, as policyd-spf's instance_dict) and the decision log line
// without its queue id. None of it depends on the queue id, so one rendering serves every
// message with the same (client, HELO, sender): DecisionMemo and InstanceCache keep these.
// Pure; immutable once built (shared between threads as shared_ptr<const>).
#pragma once

#include <memory>
#include <string>

#include "policyd/spf_policy.hpp"

namespace mw::policyd {

struct RenderedDecision {
    std::string wire;         // "action=...\n\n" for the first recipient
    std::string replay_wire;  // for the later recipients of the same instance
    std::string log_fields;   // the decision line after "QUEUEID: "; "" when there is none
};

using RenderedPtr = std::shared_ptr<const RenderedDecision>;

/// Renders a decision just made (not a replayed one); its queue_id is not looked at.
RenderedPtr render(const Decision& d);

}  // namespace mw::policyd
