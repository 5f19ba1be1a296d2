#include <catch2/catch.hpp>

#include "milters/dkim/base64.hpp"
#include "milters/dkim/signing_key.hpp"
#include "tests/unit/milters/dkim/test_keys.hpp"

using namespace mw::dkim;

namespace {
KeyRecord record_for(const PrivateKey& k) {
    KeyRecord r;
    r.type = k.type();
    r.public_key = k.public_key_bytes();
    return r;
}
}  // namespace

TEST_CASE("PrivateKey: RSA and Ed25519 PEM keys sign, public keys verify", "[dkim]") {
    for (const char* pem : {test::kRsa2048Pem, test::kRsa1024Pem, test::kRsaPkcs1Pem, test::kEd25519Pem}) {
        auto key = PrivateKey::from_pem(pem);
        REQUIRE(key);
        auto sig = key->sign("header data");
        REQUIRE(sig);
        auto pub = PublicKey::from_record(record_for(*key));
        REQUIRE(pub);
        CHECK(pub->verify(key->algorithm(), "header data", *sig));
        CHECK_FALSE(pub->verify(key->algorithm(), "header datA", *sig));
        CHECK_FALSE(pub->verify(Algorithm::RsaSha1, "header data", *sig));
    }
    CHECK(PrivateKey::from_pem(test::kRsa2048Pem)->bits() == 2048);
    CHECK(PrivateKey::from_pem(test::kEd25519Pem)->type() == KeyType::Ed25519);
}

TEST_CASE("PrivateKey: RSA keys under 1024 bits are refused", "[dkim]") {
    CHECK(PrivateKey::from_pem(test::kRsa1024Pem));  // at the limit
    auto small = PrivateKey::from_pem(test::kRsa1016Pem);
    REQUIRE_FALSE(small);
    CHECK(small.error().message == "RSA key of 1016 bits is under the minimum of 1024");
    CHECK_FALSE(PrivateKey::from_pem("not a key"));
}

TEST_CASE("PrivateKey: RFC 8032 §7.1 test 1 seed gives its public key", "[dkim]") {
    auto key = PrivateKey::from_ed25519_seed(*base64_decode("nWGxne/9WmC6hEr0kuwsxERJxWl7MmkZcDusAxyuf2A="));
    REQUIRE(key);
    CHECK(base64_encode(key->public_key_bytes()) == "11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=");
    CHECK_FALSE(PrivateKey::from_ed25519_seed("short"));
}

TEST_CASE("PublicKey: bad and mismatched records", "[dkim]") {
    auto ed = PrivateKey::from_pem(test::kEd25519Pem);
    KeyRecord r = record_for(*ed);
    r.type = KeyType::Rsa;  // raw Ed25519 bytes are no RSA key
    CHECK_FALSE(PublicKey::from_record(r));
    r.type = KeyType::Ed25519;
    r.public_key = "short";
    CHECK_FALSE(PublicKey::from_record(r));
    r.revoked = true;
    CHECK_FALSE(PublicKey::from_record(r));
}
