// run_dkim_load: N connections, one thread each, closed loop as smtpd drives a milter: a message,
// its end-of-message reply, the next message; a new milter connection every `per_session`
// messages (Postfix opens one per SMTP session). Each thread first sends `warmup` messages (not
// measured); then all start together and run until each has sent `messages` (if non-zero) or
// `seconds` have passed. Latency is per message, client side, from MAIL (or from connecting,
// when the message opens a connection) to the end-of-message reply. Server CPU is utime+stime
// of the server process (/proc/PID/stat, all threads) across the measured phase only.
//
// prepare_message: the message of the run; in verify mode with a presign path, signed first by
// the milter there (as outbound mail), with its edits applied.
// Both block until done; run_dkim_load owns its threads and shares nothing with other calls.
#pragma once

#include <cstdint>

#include "bench/dkim/dkim_load_options.hpp"
#include "bench/dkim/dkim_tally.hpp"
#include "bench/latency_summary.hpp"
#include "common/base/result.hpp"
#include "common/milter/mail_message.hpp"
#include "common/milter/milter_transaction.hpp"

namespace mw::bench {

struct DkimLoadResult {
    std::uint64_t messages = 0;   // measured ones
    std::uint64_t errors = 0;     // connections lost or protocol errors
    double seconds = 0;
    double server_cpu_seconds = -1;   // < 0: not measured
    LatencySummary latency{{}};
    DkimTally tally;
};

/// The envelope and macros of mail that Postfix would have a DKIM milter sign (a submission
/// client, {daemon_name}=ORIGINATING) or verify (an outside MX client).
milter::Transaction bench_transaction(LoadMode mode, const MessageShape& shape);

Result<milter::MailMessage> prepare_message(const DkimLoadOptions& options);

Result<DkimLoadResult> run_dkim_load(const DkimLoadOptions& options, const milter::MailMessage& message);

}  // namespace mw::bench
