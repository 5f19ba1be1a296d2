// The right-hand side of a Postfix access(5) entry, parsed once at load time into a typed
// action, and the match a table lookup returns (action + FILE:LINE + key, for log lines).
// Supported, as smtpd_check.c interprets them (keywords case-insensitive): OK (and RELAY),
// an all-numeric value (= OK), DUNNO, REJECT [text], DEFER [text], 4NN text, 5NN text,
// DISCARD [text], HOLD [text], WARN [text], PREPEND header: value. Reply text may begin with an
// RFC 3463 enhanced status code; its class digit is made to agree with the reply code. Actions
// that only make sense inside Postfix (FILTER, REDIRECT, BCC, DEFER_IF_*, restriction names,
// lookup tables) are errors: a milter cannot perform them. Pure; thread-safe.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "common/base/result.hpp"

namespace mw::table {

enum class AccessKind { Ok, Dunno, Reject, Defer, Discard, Hold, Warn, Prepend };

/// Postfix's access_map_reject_code and access_map_defer_code defaults.
inline constexpr int kAccessRejectCode = 554;
inline constexpr int kAccessDeferCode = 450;

struct AccessAction {
    AccessKind kind = AccessKind::Dunno;
    std::optional<int> code;  // written "4NN"/"5NN" code; Reject/Defer only
    std::string dsn;          // enhanced status code for Reject/Defer ("5.7.1" unless written)
    std::string text;         // optional text; for Prepend the header "Name: value"

    /// The SMTP reply code for Reject/Defer: the written one or Postfix's default.
    int reply_code() const;
    friend bool operator==(const AccessAction&, const AccessAction&) = default;
};

/// Where a lookup matched: the file and line of the entry and the key that matched.
struct AccessMatch {
    AccessAction action;
    std::string key;
    SourcePos pos;
};

/// Parses an access(5) right-hand side; errors carry no position (the caller adds FILE:LINE).
Result<AccessAction> parse_access_action(std::string_view value);
/// "ok", "reject", ... (lower case, for log lines).
const char* to_string(AccessKind kind);

}  // namespace mw::table
