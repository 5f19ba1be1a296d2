// DkimTally: what the servers did to the messages dkim_load sent, from their end-of-message
// edits, so that a run proves the server signed or verified each message and did not just pass
// it through: DKIM-Signature fields added (signing), "dkim=pass" and other dkim= results in
// Authentication-Results fields added (verifying), and messages whose count differed from the
// expected one. Pure; one tally per thread, merged after.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>

#include "bench/dkim/mta_session.hpp"

namespace mw::bench {

enum class LoadMode { Sign, Verify };

struct DkimTally {
    std::uint64_t messages = 0;
    std::uint64_t signatures = 0;     // DKIM-Signature fields added
    std::uint64_t passes = 0;         // dkim=pass results
    std::uint64_t other_results = 0;  // dkim=fail, neutral, temperror, ...
    std::uint64_t unexpected = 0;     // messages not ending as `expect` says (see add)

    /// Counts one message. `expect` > 0: in Sign mode that many signatures, in Verify mode that
    /// many passes and no other result, or the message is unexpected; 0 checks nothing.
    void add(const MessageOutcome& outcome, LoadMode mode, unsigned expect);
    void merge(const DkimTally& other);
    std::string to_string() const;
};

/// dkim= results in one Authentication-Results value: {passes, others}.
std::pair<unsigned, unsigned> count_dkim_results(std::string_view auth_results);

}  // namespace mw::bench
