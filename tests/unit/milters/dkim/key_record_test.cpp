#include <catch2/catch.hpp>

#include "milters/dkim/key_record.hpp"

using namespace mw::dkim;

TEST_CASE("KeyRecord: tags and defaults (RFC 6376 §3.6.1)", "[dkim]") {
    auto r = KeyRecord::parse("v=DKIM1; k=ed25519; p=11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=");
    REQUIRE(r);
    CHECK(r->type == KeyType::Ed25519);
    CHECK(r->public_key.size() == 32);
    CHECK_FALSE(r->revoked);
    CHECK_FALSE(r->testing);
    CHECK(r->allows_sha256);

    auto d = KeyRecord::parse("p=Zm9v");
    REQUIRE(d);
    CHECK(d->type == KeyType::Rsa);

    auto f = KeyRecord::parse("v=DKIM1; h=sha1; t=y:s; s=email; n=notes here; p=Zm9v; future=ok");
    REQUIRE(f);
    CHECK(f->testing);
    CHECK(f->strict);
    CHECK_FALSE(f->allows_sha256);
    CHECK(f->allows_sha1);
    CHECK(KeyRecord::parse("h=sha1 : sha256; p=Zm9v")->allows_sha256);
    CHECK(KeyRecord::parse("s=*; t=x; p=Zm9v")->testing == false);  // unknown flags ignored
}

TEST_CASE("KeyRecord: empty p= is a revoked key", "[dkim]") {
    auto r = KeyRecord::parse("v=DKIM1; k=rsa; p=");
    REQUIRE(r);
    CHECK(r->revoked);
}

TEST_CASE("KeyRecord: errors", "[dkim]") {
    struct Case { const char* text; const char* what; };
    const Case cases[] = {
        {"k=rsa", "key p=: missing"},
        {"p=Zm9v; v=DKIM1", "not the first tag"},
        {"v=DKIM2; p=Zm9v", "not DKIM1"},
        {"k=dsa; p=Zm9v", "unknown key type 'dsa'"},
        {"p=Zm9", "bad base64"},
        {"s=web; p=Zm9v", "not for email"},
        {"p=Zm9v; p=Zm9v", "duplicate tag 'p'"},
    };
    for (const auto& c : cases) {
        INFO(c.text);
        auto r = KeyRecord::parse(c.text);
        REQUIRE_FALSE(r);
        CHECK(r.error().message.find(c.what) != std::string::npos);
    }
}
