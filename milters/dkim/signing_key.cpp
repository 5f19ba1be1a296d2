#include "milters/dkim/signing_key.hpp"

#include <openssl/bio.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include <fmt/format.h>

#include "common/base/limits.hpp"
#include "milters/dkim/sha256.hpp"

namespace mw::dkim {
namespace {

using Bio = CHandle<BIO, BIO_free>;
using MdCtx = CHandle<EVP_MD_CTX, EVP_MD_CTX_free>;

const unsigned char* bytes(std::string_view s) { return reinterpret_cast<const unsigned char*>(s.data()); }

Result<KeyType> check_key(EVP_PKEY* key, int min_rsa_bits) {
    const int id = EVP_PKEY_get_base_id(key);
    if (id == EVP_PKEY_ED25519) return KeyType::Ed25519;
    if (id != EVP_PKEY_RSA) return fail(ErrorCode::Unsupported, "key is neither RSA nor Ed25519");
    const int bits = EVP_PKEY_get_bits(key);
    if (bits < min_rsa_bits)
        return fail(ErrorCode::Invalid, fmt::format("RSA key of {} bits is under the minimum of {}", bits, min_rsa_bits));
    if (bits > limits::kMaxDkimRsaBits)
        return fail(ErrorCode::Invalid, fmt::format("RSA key of {} bits is over the maximum of {}", bits, limits::kMaxDkimRsaBits));
    return KeyType::Rsa;
}

// Ed25519 signs the SHA-256 of the data (RFC 8463 §3); RSA hashes inside EVP_DigestSign.
std::string_view signed_input(KeyType type, std::string_view data, Digest& scratch) {
    if (type == KeyType::Rsa) return data;
    scratch = Sha256::of(data);
    return std::string_view(reinterpret_cast<const char*>(scratch.data()), scratch.size());
}

EvpKey decode_rsa_public(std::string_view der) {
    const unsigned char* p = bytes(der);
    EvpKey key(d2i_PUBKEY(nullptr, &p, static_cast<long>(der.size())));
    if (key) return key;
    p = bytes(der);  // some publishers put a bare PKCS#1 RSAPublicKey in p=
    return EvpKey(d2i_PublicKey(EVP_PKEY_RSA, nullptr, &p, static_cast<long>(der.size())));
}

}  // namespace

Result<PrivateKey> PrivateKey::from_pem(std::string_view pem) {
    if (pem.size() > limits::kMaxDkimKeyFile) return fail(ErrorCode::TooLong, "key file too large");
    Bio bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
    if (!bio) return fail(ErrorCode::Internal, "out of memory");
    EvpKey key(PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr));
    if (!key) return fail(ErrorCode::Invalid, "not a PEM private key");
    auto type = check_key(key.get(), limits::kMinDkimRsaBits);
    if (!type) return fail(type.error());
    const int bits = EVP_PKEY_get_bits(key.get());
    return PrivateKey(std::move(key), *type, bits);
}

Result<PrivateKey> PrivateKey::from_ed25519_seed(std::string_view seed) {
    if (seed.size() != 32) return fail(ErrorCode::Invalid, "Ed25519 seed must be 32 bytes");
    EvpKey key(EVP_PKEY_new_raw_private_key(EVP_PKEY_ED25519, nullptr, bytes(seed), seed.size()));
    if (!key) return fail(ErrorCode::Invalid, "bad Ed25519 seed");
    return PrivateKey(std::move(key), KeyType::Ed25519, 256);
}

Result<std::string> PrivateKey::sign(std::string_view header_data) const {
    MdCtx ctx(EVP_MD_CTX_new());
    const EVP_MD* md = type_ == KeyType::Rsa ? EVP_sha256() : nullptr;
    if (!ctx || EVP_DigestSignInit(ctx.get(), nullptr, md, nullptr, key_.get()) != 1)
        return fail(ErrorCode::Internal, "EVP_DigestSignInit failed");
    Digest scratch{};
    const std::string_view input = signed_input(type_, header_data, scratch);
    std::size_t len = 0;
    if (EVP_DigestSign(ctx.get(), nullptr, &len, bytes(input), input.size()) != 1)
        return fail(ErrorCode::Internal, "EVP_DigestSign failed");
    std::string sig(len, '\0');
    if (EVP_DigestSign(ctx.get(), reinterpret_cast<unsigned char*>(sig.data()), &len, bytes(input),
                       input.size()) != 1)
        return fail(ErrorCode::Internal, "EVP_DigestSign failed");
    sig.resize(len);
    return sig;
}

std::string PrivateKey::public_key_bytes() const {
    if (type_ == KeyType::Ed25519) {
        std::string raw(32, '\0');
        std::size_t len = raw.size();
        EVP_PKEY_get_raw_public_key(key_.get(), reinterpret_cast<unsigned char*>(raw.data()), &len);
        raw.resize(len);
        return raw;
    }
    unsigned char* der = nullptr;
    const int len = i2d_PUBKEY(key_.get(), &der);
    if (len <= 0) return {};
    std::string out(reinterpret_cast<const char*>(der), static_cast<std::size_t>(len));
    OPENSSL_free(der);
    return out;
}

Result<PublicKey> PublicKey::from_record(const KeyRecord& record) {
    if (record.revoked) return fail(ErrorCode::Invalid, "key revoked");
    const std::string_view p = record.public_key;
    EvpKey key = record.type == KeyType::Rsa
                     ? decode_rsa_public(p)
                     : EvpKey(EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519, nullptr, bytes(p), p.size()));
    if (!key) return fail(ErrorCode::Invalid, "key p=: not a valid public key");
    auto type = check_key(key.get(), 0);  // the verifier reports small keys as policy
    if (!type) return fail(type.error());
    if (*type != record.type) return fail(ErrorCode::Invalid, "key p=: does not match k=");
    const int bits = EVP_PKEY_get_bits(key.get());
    return PublicKey(std::move(key), *type, bits);
}

bool PublicKey::verify(Algorithm algorithm, std::string_view header_data, std::string_view signature) const {
    const bool matches = (algorithm == Algorithm::RsaSha256 && type_ == KeyType::Rsa) ||
                         (algorithm == Algorithm::Ed25519Sha256 && type_ == KeyType::Ed25519);
    if (!matches) return false;
    MdCtx ctx(EVP_MD_CTX_new());
    const EVP_MD* md = type_ == KeyType::Rsa ? EVP_sha256() : nullptr;
    if (!ctx || EVP_DigestVerifyInit(ctx.get(), nullptr, md, nullptr, key_.get()) != 1) return false;
    Digest scratch{};
    const std::string_view input = signed_input(type_, header_data, scratch);
    return EVP_DigestVerify(ctx.get(), bytes(signature), signature.size(), bytes(input), input.size()) == 1;
}

}  // namespace mw::dkim
