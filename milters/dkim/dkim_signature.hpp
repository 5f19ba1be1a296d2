// DkimSignature: the parsed value of one DKIM-Signature header field (RFC 6376 §3.5): tags v a b
// bh c d h i l q s t x z. Required tags, the version, base64 values, i= within d=, h= naming
// From (§5.4), q= offering dns/txt and x= not before t= are checked here; errors name the tag.
// rsa-sha1 parses (so it can be reported as a policy failure, RFC 8301) but nothing signs with
// it. Bounded by TagList's limits and kMaxDkimSignedHeaders. Pure; thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/base/result.hpp"
#include "milters/dkim/canonicalization.hpp"

namespace mw::dkim {

enum class Algorithm { RsaSha256, Ed25519Sha256, RsaSha1 };

std::string_view algorithm_name(Algorithm a);
std::optional<Algorithm> parse_algorithm(std::string_view text);

struct DkimSignature {
    Algorithm algorithm = Algorithm::RsaSha256;
    std::string signature;   // b=, decoded
    std::string body_hash;   // bh=, decoded
    Canonicalization canon;  // c=, default simple/simple
    std::string domain;      // d=
    std::vector<std::string> signed_headers;  // h=, in order
    std::string identity;    // i=, default "@" + d
    std::optional<std::uint64_t> body_length;  // l=
    std::string selector;    // s=
    std::optional<std::uint64_t> timestamp;    // t=
    std::optional<std::uint64_t> expiration;   // x=

    /// Parses the field's value (everything after "DKIM-Signature:").
    static Result<DkimSignature> parse(std::string_view value);
};

/// Parses a decimal tag value (t=, x=, l=): digits only, no overflow.
std::optional<std::uint64_t> parse_decimal(std::string_view text);

}  // namespace mw::dkim
