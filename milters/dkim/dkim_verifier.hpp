// MessageVerifier: checks every DKIM-Signature field of one message (RFC 6376 §6) ourselves:
// parse, body hash (streamed, one BodyHasher per distinct c=/l=), key record from a caller-given
// lookup (no DNS here), then the signature (rsa-sha256, ed25519-sha256 per RFC 8463). rsa-sha1
// and RSA keys under kMinDkimRsaBits are `policy` (RFC 8301). At most kMaxDkimSignatures fields
// are evaluated; later ones are ignored. Results use RFC 8601's words: pass fail neutral policy
// temperror permerror. Thread-compatible: one per message.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "milters/dkim/body_hasher.hpp"
#include "milters/dkim/dkim_signature.hpp"
#include "milters/dkim/message_header.hpp"

namespace mw::dkim {

enum class VerifyStatus { Pass, Fail, Neutral, Policy, TempError, PermError };
std::string_view verify_status_name(VerifyStatus s);

struct VerifyResult {
    VerifyStatus status = VerifyStatus::PermError;
    std::string reason;     // empty on pass; e.g. "body hash did not verify"
    std::string domain;     // d= (header.d), may be empty when the field did not parse
    std::string selector;   // s= (header.s)
    std::string b_prefix;   // first 8 characters of b= as written (header.b, RFC 6008)
    bool testing = false;   // key record t=y
};

/// One key lookup answer: the TXT records at SELECTOR._domainkey.DOMAIN (strings joined).
struct KeyAnswer {
    enum class Kind { Found, NotFound, Invalid, TempError } kind = Kind::NotFound;
    std::vector<std::string> records;
    std::string why;   // Invalid: what was wrong with the records
};
using KeyLookup = std::function<KeyAnswer(std::string_view domain, std::string_view selector)>;

class MessageVerifier {
public:
    explicit MessageVerifier(std::vector<MessageHeader> headers);
    ~MessageVerifier();
    MessageVerifier(MessageVerifier&&) noexcept;

    /// (domain, selector) of each signature that parsed, to fetch keys ahead of finish().
    std::vector<std::pair<std::string, std::string>> key_names() const;
    void feed_body(std::string_view chunk);
    /// One result per DKIM-Signature field, top to bottom. `now` is for x= (seconds since epoch).
    std::vector<VerifyResult> finish(const KeyLookup& lookup, std::uint64_t now);

private:
    struct Candidate;
    VerifyResult check(Candidate& c, const KeyLookup& lookup, std::uint64_t now) const;

    std::vector<MessageHeader> headers_;
    std::vector<Candidate> candidates_;
    std::vector<std::unique_ptr<BodyHasher>> hashers_;
};

}  // namespace mw::dkim
