// Postfix policy delegation requests (SMTPD_POLICY_README): "name=value" lines ended by an empty
// line. PolicyRequestParser is a push parser: feed() takes bytes in any fragmentation (one byte
// at a time, or several requests in one buffer) and next() yields complete requests in order.
// Limits (common/base/limits.hpp): kMaxPolicyLine bytes per line (line end excluded),
// kMaxPolicyAttrs lines per request, kMaxPolicyRequest bytes per request (line ends included).
// Lines end in "\n" or "\r\n". Control characters other than tab are refused; bytes >= 0x80 are
// kept (SMTPUTF8 addresses). Unknown attribute names are ignored; a repeated name: the last
// value wins (as policyd-spf's dict), so a repeat is never an error.
// After an error the parser stays failed: the caller closes the connection without a reply.
// Whole lines are taken at once (memchr, a word-at-a-time scan for bad bytes); a line near a
// limit or holding a bad byte goes byte by byte, so errors and limits are exactly per byte.
// Pure; no I/O. Thread-compatible (one parser per connection).
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <tl/expected.hpp>

#include "common/net/ip_address.hpp"

namespace mw::policyd {

/// Every attribute Postfix 3.7 sends, by name. Absent attributes are empty strings.
struct PolicyRequest {
    std::string request;
    std::string protocol_state;
    std::string protocol_name;
    std::string helo_name;
    std::string queue_id;
    std::string sender;
    std::string recipient;
    std::string recipient_count;
    std::string client_address;
    std::string client_name;          // forward-confirmed name, or "unknown"
    std::string reverse_client_name;  // PTR name, not forward-confirmed, or "unknown"
    std::string instance;
    std::string sasl_method;
    std::string sasl_username;
    std::string sasl_sender;
    std::string size;
    std::string ccert_subject;
    std::string ccert_issuer;
    std::string ccert_fingerprint;
    std::string ccert_pubkey_fingerprint;
    std::string encryption_protocol;
    std::string encryption_cipher;
    std::string encryption_keysize;
    std::string etrn_domain;
    std::string stress;
    std::string client_port;
    std::string policy_context;
    std::string server_address;
    std::string server_port;
    std::string compatibility_level;
    std::string mail_version;

    std::size_t attribute_count = 0;  // lines read, unknown names included

    /// client_address parsed; nullopt when absent or not an address.
    std::optional<net::IpAddress> client_ip() const;
};

/// Why a request was refused.
enum class PolicyRequestErrorKind {
    LineTooLong,        // a line over kMaxPolicyLine
    TooManyAttributes,  // more than kMaxPolicyAttrs lines
    RequestTooLong,     // more than kMaxPolicyRequest bytes
    MissingEquals,      // a line without '='
    EmptyName,          // a line starting with '='
    BadByte,            // NUL, CR not before LF, or another control character
    NotPolicyRequest,   // request= is not smtpd_access_policy
};

const char* to_string(PolicyRequestErrorKind kind);

struct PolicyRequestError {
    PolicyRequestErrorKind kind = PolicyRequestErrorKind::BadByte;
    std::string message;  // for the log line
};

/// A complete request, nothing yet (nullopt), or the error that stopped the parser.
using PolicyParseResult = tl::expected<std::optional<PolicyRequest>, PolicyRequestError>;

class PolicyRequestParser {
public:
    /// Consumes bytes. Stops consuming at the first error (later bytes are dropped).
    void feed(std::string_view bytes);
    /// The next complete request in arrival order; after those, the error if one occurred.
    PolicyParseResult next();
    bool failed() const { return error_.has_value(); }
    /// True when no partial request is buffered (a clean place for the peer to hang up).
    bool idle() const { return request_bytes_ == 0; }

private:
    bool take_line(std::string_view chunk, bool ends_line);
    void consume(char c);
    void end_line(std::string_view line);
    void end_request();
    void add_attribute(std::string_view line);
    void set_error(PolicyRequestErrorKind kind, std::string message);

    std::vector<PolicyRequest> ready_;  // ready_[ready_head_..] are not yet taken
    std::size_t ready_head_ = 0;
    std::optional<PolicyRequestError> error_;
    PolicyRequest current_;
    std::string line_;
    bool pending_cr_ = false;
    std::size_t request_bytes_ = 0;
};

}  // namespace mw::policyd
