// The milter API every mailwarden milter implements: one Session per MTA connection, called for
// each protocol step (connect, HELO, MAIL, RCPT, each header, end of headers, each body chunk,
// end of message, abort, close). PURE: no libmilter types, so milter cores and their unit tests
// need no libmilter; common/milter/libmilter_driver.cpp is the only adapter.
// The driver calls a Session from one thread at a time (libmilter may use a different worker
// thread for each callback of the same connection). A Session may throw; the driver answers the
// MilterSpec's failure action. Nothing slow may run without a deadline: libmilter's worker pool
// grows without bound when callbacks block.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "common/milter/macros.hpp"
#include "common/milter/message_edits.hpp"
#include "common/milter/reply.hpp"

namespace mw::milter {

/// The SMTP client as the MTA saw it (SMFIC_CONNECT).
struct ConnectInfo {
    enum class Family { Unknown, Inet4, Inet6, Unix };
    std::string host_name;   // the client's verified name, or "[addr]" / "unknown"
    Family family = Family::Unknown;
    std::string address;     // "192.0.2.1", "2001:db8::1", a socket path, or empty
    uint16_t port = 0;
};

class Session {
public:
    virtual ~Session() = default;

    /// `macros` holds every macro the MTA sent so far on this connection (message-level ones
    /// are cleared at the next MAIL).
    virtual Reply on_connect(const ConnectInfo& client, const Macros& macros);
    virtual Reply on_helo(std::string_view helo, const Macros& macros);
    /// args[0] is the address in angle brackets; the rest are ESMTP parameters.
    virtual Reply on_mail(const std::vector<std::string>& args, const Macros& macros);
    virtual Reply on_rcpt(const std::vector<std::string>& args, const Macros& macros);
    /// `value` is as the MTA sent it: folded lines joined by "\n"; a leading space only when
    /// the spec asked for header_leading_space.
    virtual Reply on_header(std::string_view name, std::string_view value);
    virtual Reply on_eoh(const Macros& macros);
    /// One chunk of at most 65535 bytes, CRLF line ends.
    virtual Reply on_body(std::string_view chunk);
    /// The last step of a message; edits are applied only if the reply lets the message go on.
    virtual Reply on_eom(MessageEdits& edits, const Macros& macros);
    /// The message was aborted (RSET, or the MTA gave up): forget message state.
    virtual void on_abort();
    /// The connection ends; called once, also after errors.
    virtual void on_close();
};

/// Creates the Session for each new connection.
class SessionFactory {
public:
    virtual ~SessionFactory() = default;
    virtual std::unique_ptr<Session> create() = 0;
};

}  // namespace mw::milter
