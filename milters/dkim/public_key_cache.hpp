// PublicKeyCache: decoded verification keys by key record (type and p= bytes). Decoding an RSA
// SubjectPublicKeyInfo through OpenSSL 3's decoders costs about 3 million instructions, more
// than hashing a 3 KB message; mail comes from the same few thousand domains over and over, so
// each key is decoded once and then shared (PublicKey is safe to use from many threads). Only
// successful decodes are kept. Bounded by limits::kMaxDkimKeyCache entries: when full it is
// emptied (simple, and a full cache of distinct keys is already an unusual load).
// Thread-safe (one mutex).
#pragma once

#include <cstddef>
#include <mutex>
#include <string>
#include <unordered_map>

#include "common/base/result.hpp"
#include "milters/dkim/key_record.hpp"
#include "milters/dkim/signing_key.hpp"

namespace mw::dkim {

class PublicKeyCache {
public:
    explicit PublicKeyCache(std::size_t max_entries) : max_entries_(max_entries) {}

    /// The decoded key of `record`, from the cache or decoded now.
    Result<PublicKey> get(const KeyRecord& record);
    std::size_t size() const;

private:
    std::size_t max_entries_;
    mutable std::mutex mu_;
    std::unordered_map<std::string, PublicKey> keys_;
};

/// The cache every MessageVerifier of the process shares.
PublicKeyCache& shared_public_key_cache();

}  // namespace mw::dkim
