// BodyHasher: the DKIM body hash (RFC 6376 §3.7 bh=): a BodyCanonicalizer feeding SHA-256,
// optionally cut at an l= length (verifying only; we never sign with l=). Memory per feed is
// the chunk's canonical form. Thread-compatible.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "milters/dkim/body_canonicalizer.hpp"
#include "milters/dkim/sha256.hpp"

namespace mw::dkim {

class BodyHasher {
public:
    explicit BodyHasher(Canon canon, std::optional<std::uint64_t> length_limit = std::nullopt)
        : canon_(canon), limit_(length_limit) {}

    void feed(std::string_view chunk);
    /// Ends the body. Call once.
    Digest finish();
    /// Canonical body bytes seen (before any l= cut).
    std::uint64_t canonical_length() const { return length_; }

private:
    void hash(std::string_view canonical);

    BodyCanonicalizer canon_;
    std::optional<std::uint64_t> limit_;
    Sha256 sha_;
    std::string scratch_;
    std::uint64_t length_ = 0;
};

}  // namespace mw::dkim
