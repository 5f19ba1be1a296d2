// The reply to one Postfix policy request: "action=..." and an empty line (SMTPD_POLICY_README,
// access(5)). This is the only place reply text is built. Text is sanitized: control characters
// become spaces, bytes outside printable ASCII become '?' (SMTP replies and header fields are
// ASCII, RFC 5321 §4.2, RFC 5322 §2.2), and everything after "action=" is cut at
// limits::kMaxPolicyReplyText bytes so that Postfix gets one bounded line.
// Pure; thread-compatible.
#pragma once

#include <string>
#include <string_view>

namespace mw::policyd {

enum class ReplyAction { Dunno, Prepend, Reject, Defer, DeferIfPermit };

/// "dunno", "prepend", "reject", "defer", "defer_if_permit": for log lines.
const char* to_string(ReplyAction a);

class PolicyReply {
public:
    /// action=DUNNO
    static PolicyReply dunno();
    /// action=PREPEND <header>; `header` is the whole field, "Name: value".
    static PolicyReply prepend(std::string_view header);
    /// action=REJECT <text>, or action=<code> <dsn> <text> when `code` (5xx) is given.
    static PolicyReply reject(std::string_view text, std::string_view code = {},
                              std::string_view dsn = {});
    /// action=DEFER <text>, or action=<code> <dsn> <text> when `code` (4xx) is given.
    static PolicyReply defer(std::string_view text, std::string_view code = {},
                             std::string_view dsn = {});
    /// action=DEFER_IF_PERMIT [<dsn>] <text>
    static PolicyReply defer_if_permit(std::string_view text, std::string_view dsn = {});

    ReplyAction action() const { return action_; }
    /// The text after "action=", sanitized and bounded.
    const std::string& line() const { return line_; }
    /// What goes on the wire: "action=...\n\n".
    std::string to_wire() const;

private:
    PolicyReply(ReplyAction action, std::string line);

    ReplyAction action_;
    std::string line_;
};

/// Printable ASCII only (see the file comment), at most `max` bytes, outer spaces trimmed.
std::string sanitize_reply_text(std::string_view text, std::size_t max);

}  // namespace mw::policyd
