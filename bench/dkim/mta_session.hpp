// MtaSession: one milter connection as Postfix's smtpd drives it for one SMTP session, carrying
// one or more messages: open = connect the socket, negotiate, CONNECT and HELO (with Postfix's
// default macro lists and the envelope's macro values); send() = MAIL, RCPT, DATA, headers,
// end of headers, body in 65535-byte chunks, end of message, returning the verdict and the
// edits; close = QUIT. Built on common/milter/milter_client.hpp. Reads are bounded by the
// client's deadlines and limits. One session per thread; not thread-safe.
#pragma once

#include <string>
#include <vector>

#include "common/base/result.hpp"
#include "common/daemon/listen_spec.hpp"
#include "common/milter/mail_message.hpp"
#include "common/milter/milter_client.hpp"
#include "common/milter/milter_transaction.hpp"

namespace mw::bench {

struct MessageOutcome {
    bool reached_eom = false;              // false: a step before the end gave a verdict
    milter::Verdict verdict = milter::Verdict::Continue;
    std::vector<milter::Response> edits;   // end-of-message edits
};

class MtaSession {
public:
    /// Connects, negotiates, sends CONNECT and HELO; fails if either does not continue.
    static Result<MtaSession> open(const daemon::ListenSpec& where, const milter::Transaction& t);

    /// One message through MAIL ... end of message. A verdict before the end is returned with no edits.
    Result<MessageOutcome> send(const milter::MailMessage& message);
    bool leading_space() const { return client_.leading_space(); }
    Result<bool> quit() { return client_.quit(); }

private:
    MtaSession(milter::MilterClient client, const milter::Transaction& t)
        : client_(std::move(client)), t_(t) {}

    Result<bool> envelope();
    Result<bool> content(const milter::MailMessage& message);

    milter::MilterClient client_;
    milter::Transaction t_;
};

}  // namespace mw::bench
