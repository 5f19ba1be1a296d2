// Postfix policy delegation requests (SMTPD_POLICY_README): "name=value" lines ended by an empty
// line. PolicyRequestParser is a push parser: feed() takes bytes in any fragmentation (one byte
// at a time, or several requests in one buffer) and next() yields complete requests in order.
// Limits (common/base/limits.hpp): kMaxPolicyLine bytes per line (line end excluded),
// kMaxPolicyAttrs lines per request, kMaxPolicyRequest bytes per request (line ends included).
// Lines end in "\n" or "\r\n". Control characters other than tab are refused; bytes >= 0x80 are
// kept (SMTPUTF8 addresses). Unknown attribute names are ignored; a repeated name: the last
// value wins (as policyd-spf's dict), so a repeat is never an error.
// After an error the parser stays failed: the caller closes the connection without a reply.
// Whole lines are taken at once (memchr; each fed buffer is scanned once for bad bytes, 16 at a
// time); a line near a limit or in a buffer holding a CR or bad byte goes byte by byte, so
// errors and limits are exactly per byte. Requests are parsed in place into reused slots:
// peek()/pop() hand them out without a copy, and their strings keep their capacity, so a
// connection's steady state allocates nothing per request.
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
    PolicyRequestParser();

    /// Consumes bytes. Stops consuming at the first error (later bytes are dropped).
    void feed(std::string_view bytes);
    /// The next complete request in arrival order (moved out); after those, the error if one
    /// occurred.
    PolicyParseResult next();
    /// The next complete request without a copy, or nullptr when none is complete. Valid until
    /// the next pop(), next() or feed().
    const PolicyRequest* peek() const { return head_ < tail_ ? &slots_[head_] : nullptr; }
    /// Drops the request peek() returned.
    void pop();
    /// The error that stopped the parser, or nullptr.
    const PolicyRequestError* error() const { return error_ ? &*error_ : nullptr; }
    bool failed() const { return error_.has_value(); }
    /// True when no partial request is buffered (a clean place for the peer to hang up).
    bool idle() const { return request_bytes_ == 0; }

private:
    PolicyRequest& current() { return slots_[tail_]; }
    bool take_line(std::string_view chunk, bool ends_line);
    void consume(char c);
    void end_line(std::string_view line);
    void end_request();
    void add_attribute(std::string_view line);
    void set_error(PolicyRequestErrorKind kind, std::string message);

    // slots_[head_, tail_) are complete, slots_[tail_] is being read; slots are reused.
    std::vector<PolicyRequest> slots_;
    std::size_t head_ = 0;
    std::size_t tail_ = 0;
    std::optional<PolicyRequestError> error_;
    std::string line_;
    bool pending_cr_ = false;
    bool clean_input_ = false;  // the buffer being fed has no control byte but tab and LF
    std::size_t request_bytes_ = 0;
};

}  // namespace mw::policyd
