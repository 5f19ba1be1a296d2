// DkimSigner: makes DKIM-Signature fields (RFC 6376 §3.5, §5) with our own keys, one per
// SigningKey (dual signing: RSA and Ed25519 for one domain gives two fields, RFC 8463 §1).
// Tags: v a c d s t [x] h bh b; t= always, x= when an expiry is set, never l=. h= lists the
// configured names (default: RFC 6376 §5.4.1's list) once per instance present, plus once more
// for the oversigned names (default From), so a field added later breaks the signature.
// The body is streamed: one BodyHasher per body canonicalization in use. Folded at 78 columns
// with CRLF + TAB; b= split over lines. Thread-compatible: one MessageSigner per message; the
// keys it holds are shared and read-only.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/base/result.hpp"
#include "milters/dkim/body_hasher.hpp"
#include "milters/dkim/canonicalization.hpp"
#include "milters/dkim/message_header.hpp"
#include "milters/dkim/signing_key.hpp"

namespace mw::dkim {

/// RFC 6376 §5.4.1's recommended list, plus Message-ID and the MIME fields.
const std::vector<std::string>& default_signed_headers();

struct SigningKey {
    std::string domain;    // d=
    std::string selector;  // s=
    PrivateKey key;
};

struct SignerOptions {
    Canonicalization canon{Canon::Relaxed, Canon::Relaxed};
    std::vector<std::string> headers = default_signed_headers();
    std::vector<std::string> oversign = {"From"};
    std::optional<std::uint64_t> expire_after;  // seconds: x= = t= + this
};

class MessageSigner {
public:
    MessageSigner(std::vector<SigningKey> keys, SignerOptions options);

    void feed_body(std::string_view chunk) { body_.feed(chunk); }
    /// The DKIM-Signature fields, in key order, to prepend to the message. `now` is t=.
    Result<std::vector<MessageHeader>> finish(const std::vector<MessageHeader>& headers,
                                              std::uint64_t now);

private:
    std::vector<SigningKey> keys_;
    SignerOptions options_;
    BodyHasher body_;
};

/// The h= list for `headers` under `options` (exposed for tests).
std::vector<std::string> signed_header_names(const std::vector<MessageHeader>& headers,
                                             const SignerOptions& options);

}  // namespace mw::dkim
