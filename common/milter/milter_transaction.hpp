// One SMTP session carrying one message, run through MilterClient the way Postfix's smtpd
// would: the macro values Postfix would have (j, {daemon_name}, v, _, i, {mail_addr}, {rcpt_addr},
// {auth_type}, {auth_authen}, ...), connect, HELO, MAIL, each RCPT (a rejected recipient does not
// end the message; no accepted recipient does), DATA, headers, body in 65535-byte chunks, end of
// message, QUIT. Used by `mailwarden milter-test` and the daemon tests. Not thread-safe.
#pragma once

#include <string>
#include <vector>

#include "common/milter/milter_client.hpp"

namespace mw::milter {

/// One SMTP session carrying one message, as milter-test and the daemon tests run it.
struct Transaction {
    ConnectInfo client{"localhost", ConnectInfo::Family::Inet4, "127.0.0.1", 0};
    std::string helo = "localhost";
    std::string from;                 // without angle brackets; empty = null sender
    std::vector<std::string> rcpts;   // without angle brackets
    std::string auth_user;            // non-empty: {auth_type}=PLAIN, {auth_authen}=this
    Macros macros;                    // extra or overriding macro values (--macro)
};

struct RcptResult {
    std::string rcpt;
    Verdict verdict = Verdict::Continue;
    std::string reply;
};

struct TransactionResult {
    Verdict verdict = Verdict::Continue;
    std::string stage;                // where the verdict was given
    std::string reply;                // SMFIR_REPLYCODE text, if any
    std::vector<RcptResult> rcpts;
    std::vector<Response> edits;      // end-of-message edits, quarantine included
    OptNeg negotiated;
    bool body_skipped = false;
};

/// The macro values Postfix would have for this transaction (j, {daemon_name}, v, _, i,
/// {mail_addr}, {auth_*}, ...), then t.macros on top.
Macros transaction_macros(const Transaction& t);

/// Connects, negotiates, runs the whole transaction and quits.
Result<TransactionResult> run_transaction(const daemon::ListenSpec& where, const Transaction& t,
                                          const MailMessage& message, ClientOptions opts = {});

}  // namespace mw::milter
