// PublicKeyCache: one decode per key, the same key back, failures not kept, bounded.
#include <catch2/catch.hpp>

#include "milters/dkim/base64.hpp"
#include "milters/dkim/public_key_cache.hpp"
#include "tests/unit/milters/dkim/test_keys.hpp"

using namespace mw::dkim;

namespace {

KeyRecord rsa_record() {
    auto key = PrivateKey::from_pem(test::kRsa2048Pem);
    REQUIRE(key);
    auto r = KeyRecord::parse("v=DKIM1; k=rsa; p=" + base64_encode(key->public_key_bytes()));
    REQUIRE(r);
    return *r;
}

}  // namespace

TEST_CASE("PublicKeyCache: decodes once, verifies the same, keeps no failures, stays bounded", "[dkim]") {
    PublicKeyCache cache(2);
    const auto record = rsa_record();
    auto first = cache.get(record);
    REQUIRE(first);
    CHECK(cache.size() == 1);
    auto again = cache.get(record);
    REQUIRE(again);
    CHECK(cache.size() == 1);
    auto signer = PrivateKey::from_pem(test::kRsa2048Pem);
    const auto sig = signer->sign("data");
    REQUIRE(sig);
    CHECK(again->verify(Algorithm::RsaSha256, "data", *sig));
    CHECK_FALSE(again->verify(Algorithm::RsaSha256, "other", *sig));

    KeyRecord broken = record;
    broken.public_key = "garbage";
    CHECK_FALSE(cache.get(broken));
    KeyRecord revoked = record;
    revoked.revoked = true;
    revoked.public_key.clear();
    CHECK_FALSE(cache.get(revoked));
    CHECK(cache.size() == 1);

    auto ed = KeyRecord::parse("v=DKIM1; k=ed25519; p=11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=");
    REQUIRE(ed);
    REQUIRE(cache.get(*ed));
    CHECK(cache.size() == 2);
    KeyRecord other = *ed;
    other.public_key[0] = static_cast<char>(other.public_key[0] ^ 1);
    REQUIRE(cache.get(other));
    CHECK(cache.size() <= 2);
}
