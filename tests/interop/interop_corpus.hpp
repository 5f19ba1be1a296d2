// The message corpus and keys shared by the OpenDKIM interop test and the verify benchmark:
// the files in tests/interop/messages, a generated message of a given size, the fixed test keys
// (tests/unit/milters/dkim/test_keys.hpp) and their key records, and our signer/verifier driven
// on whole message texts. Test-only; no limits beyond memory. Thread-safe (pure functions).
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/dns/resolver.hpp"
#include "milters/dkim/canonicalization.hpp"
#include "milters/dkim/dkim_verifier.hpp"
#include "milters/dkim/key_record.hpp"

namespace mw::test {

inline constexpr const char* kInteropDomain = "example.com";

/// (file name, CRLF text) of every file in `dir`, sorted by name.
std::vector<std::pair<std::string, std::string>> read_messages(const std::string& dir);
/// A plain-text message of about `bytes` bytes (lines of 72 printable characters), CRLF.
std::string generated_message(std::size_t bytes);
/// `message` with one line appended to its body.
std::string tampered(std::string_view message);

/// The four c= combinations.
std::vector<dkim::Canonicalization> all_canonicalizations();

struct InteropKey {
    dkim::KeyType type;
    std::string selector;
    std::string pem;
    std::string record;  // TXT at SELECTOR._domainkey.example.com
};
/// The RSA-2048 and the Ed25519 test key, selectors "rsa" and "ed".
std::vector<InteropKey> interop_keys();

/// `message` signed by our MessageSigner (t=1700000000) with `key`, the field prepended.
std::string ours_sign(std::string_view message, const InteropKey& key, dkim::Canonicalization canon);
/// Key lookups through `resolver` (as the milter does: TXT at SELECTOR._domainkey.DOMAIN).
dkim::KeyLookup resolver_key_lookup(dns::Resolver& resolver);
/// Our MessageVerifier's results for `message`, at 1700000001.
std::vector<dkim::VerifyResult> ours_verify(std::string_view message, const dkim::KeyLookup& lookup);

}  // namespace mw::test
