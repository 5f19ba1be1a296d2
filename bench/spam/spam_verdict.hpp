// SpamVerdict: what a spam milter said about one message, read from its end-of-message reply as
// Postfix would apply it: a reject or discard; or a header edit that marks the message as spam
// (spamass-milter and SpamAssassin: "X-Spam-Flag: YES" or "X-Spam-Status: Yes, ..."; rspamd's
// milter: "X-Spam: Yes"; a quarantine); else clean. Header names compare case-insensitively;
// a change that deletes a field (empty value) marks nothing. Pure; thread-safe.
#pragma once

#include "common/base/result.hpp"
#include "common/milter/milter_transaction.hpp"

namespace mw::bench {

enum class SpamVerdict { Clean, Flagged, Rejected, Tempfail, Error };

const char* to_string(SpamVerdict v);

SpamVerdict classify(const Result<milter::TransactionResult>& result);

}  // namespace mw::bench
