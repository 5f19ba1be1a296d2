// KeyRecord: a DKIM public key record from DNS TXT (RFC 6376 §3.6.1, RFC 8463 §4): v= (DKIM1,
// first if present), h= hash algorithms, k= rsa|ed25519, n= notes (ignored), p= base64 key (empty
// = revoked), s= service types (* or email), t= flags y (testing) and s (strict i=). Unknown
// flags and tags are ignored, as §3.6.1 asks. Bounded by TagList. Pure; thread-safe.
#pragma once

#include <string>
#include <string_view>

#include "common/base/result.hpp"

namespace mw::dkim {

enum class KeyType { Rsa, Ed25519 };

std::string_view key_type_name(KeyType t);

struct KeyRecord {
    KeyType type = KeyType::Rsa;
    std::string public_key;      // p=, decoded (DER SubjectPublicKeyInfo for RSA, 32 bytes for Ed25519)
    bool revoked = false;        // p= empty
    bool testing = false;        // t=y
    bool strict = false;         // t=s: i= must be exactly d=
    bool allows_sha256 = true;   // h= absent or listing sha256
    bool allows_sha1 = true;

    /// Parses the TXT record, strings already joined.
    static Result<KeyRecord> parse(std::string_view text);
};

}  // namespace mw::dkim
