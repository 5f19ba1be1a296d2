// PrivateKey and PublicKey: DKIM's two algorithms over OpenSSL EVP keys (held by CHandle).
// RSA-SHA256 (RFC 6376 §3.3.1; keys under kMinDkimRsaBits or over kMaxDkimRsaBits refused) and
// Ed25519-SHA256 (RFC 8463 §3: PureEdDSA over the SHA-256 hash of the header data). A key is
// decoded once and then only read: sign()/verify() on one object are safe from many threads
// (OpenSSL 3 EVP_PKEY read-only use; each call has its own EVP_MD_CTX).
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include <openssl/evp.h>

#include "common/base/c_handle.hpp"
#include "common/base/result.hpp"
#include "milters/dkim/dkim_signature.hpp"
#include "milters/dkim/key_record.hpp"

namespace mw::dkim {

using EvpKey = CHandle<EVP_PKEY, EVP_PKEY_free>;

class PrivateKey {
public:
    /// A PEM private key (PKCS#1 "RSA PRIVATE KEY", PKCS#8 "PRIVATE KEY"), RSA or Ed25519.
    static Result<PrivateKey> from_pem(std::string_view pem);
    /// An Ed25519 key from its 32-byte seed (RFC 8032's secret key, dkimpy's key files).
    static Result<PrivateKey> from_ed25519_seed(std::string_view seed);

    KeyType type() const { return type_; }
    int bits() const { return bits_; }
    Algorithm algorithm() const {
        return type_ == KeyType::Rsa ? Algorithm::RsaSha256 : Algorithm::Ed25519Sha256;
    }
    /// Signs the header data (header_hash_data()); the b= bytes.
    Result<std::string> sign(std::string_view header_data) const;
    /// The p= bytes: DER SubjectPublicKeyInfo (RSA) or the raw 32-byte key (Ed25519).
    std::string public_key_bytes() const;

private:
    PrivateKey(EvpKey key, KeyType type, int bits) : key_(std::move(key)), type_(type), bits_(bits) {}

    std::shared_ptr<EVP_PKEY> key_;  // shared: PrivateKey is copied into key stores and signers
    KeyType type_;
    int bits_;
};

class PublicKey {
public:
    /// Decodes p= of a key record (RSA: SubjectPublicKeyInfo or PKCS#1 RSAPublicKey).
    static Result<PublicKey> from_record(const KeyRecord& record);

    KeyType type() const { return type_; }
    int bits() const { return bits_; }
    /// True when `signature` is a valid b= for `header_data` under `algorithm` (rsa-sha1: false).
    bool verify(Algorithm algorithm, std::string_view header_data, std::string_view signature) const;

private:
    PublicKey(EvpKey key, KeyType type, int bits) : key_(std::move(key)), type_(type), bits_(bits) {}

    std::shared_ptr<EVP_PKEY> key_;
    KeyType type_;
    int bits_;
};

}  // namespace mw::dkim
