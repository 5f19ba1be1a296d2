#include <catch2/catch.hpp>

#include "common/base/limits.hpp"
#include "milters/dkim/base64.hpp"
#include "milters/dkim/dkim_signature.hpp"
#include "milters/dkim/dkim_verifier.hpp"
#include "milters/dkim/header_hash.hpp"
#include "milters/dkim/signing_key.hpp"

using namespace mw::dkim;

namespace {

// RFC 8463 Appendix A: the message, both signatures and both key records.
const char* kEdSig =
    " v=1; a=ed25519-sha256; c=relaxed/relaxed;\r\n"
    " d=football.example.com; i=@football.example.com;\r\n"
    " q=dns/txt; s=brisbane; t=1528637909; h=from : to :\r\n"
    " subject : date : message-id : from : subject : date;\r\n"
    " bh=2jUSOH9NhtVGCQWNr9BrIAPreKQjO6Sn7XIkfJVOzv8=;\r\n"
    " b=/gCrinpcQOoIfuHNQIbq4pgh9kyIK3AQUdt9OdqQehSwhEIug4D11Bus\r\n"
    " Fa3bT3FY5OsU7ZbnKELq+eXdp1Q1Dw==";
const char* kRsaSig =
    " v=1; a=rsa-sha256; c=relaxed/relaxed;\r\n"
    " d=football.example.com; i=@football.example.com;\r\n"
    " q=dns/txt; s=test; t=1528637909; h=from : to : subject :\r\n"
    " date : message-id : from : subject : date;\r\n"
    " bh=2jUSOH9NhtVGCQWNr9BrIAPreKQjO6Sn7XIkfJVOzv8=;\r\n"
    " b=F45dVWDfMbQDGHJFlXUNB2HKfbCeLRyhDXgFpEL8GwpsRe0IeIixNTe3\r\n"
    " DhCVlUrSjV4BwcVcOF6+FF3Zo9Rpo1tFOeS9mPYQTnGdaSGsgeefOsk2Jz\r\n"
    " dA+L10TeYt9BgDfQNZtKdN1WO//KgIqXP7OdEFE4LjFYNcUxZQ4FADY+8=";
const char* kEdKey = "v=DKIM1; k=ed25519; p=11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=";
const char* kRsaKey =
    "v=DKIM1; k=rsa; p=MIGfMA0GCSqGSIb3DQEBAQUAA4GNADCBiQKBgQDkHlOQoBTzWRiGs5V6NpP3idY6Wk08a5qhdR6wy5bdOKb2jLQi"
    "Y/J16JYi0Qvx/byYzCNb3W91y3FutACDfzwQ/BC/e/8uBsCR+yz1Lxj+PL6lHvqMKrM3rG4hstT5QjvHO9PzoxZyVYLzBfO2EeC3Ip3G+2kryO"
    "TIKT+l/K4w3QIDAQAB";
const char* kBody = "Hi.\r\n\r\nWe lost the game.  Are you hungry yet?\r\n\r\nJoe.\r\n";

std::vector<MessageHeader> rfc8463_headers() {
    return {{"DKIM-Signature", kEdSig},
            {"DKIM-Signature", kRsaSig},
            {"From", " Joe SixPack <joe@football.example.com>"},
            {"To", " Suzie Q <suzie@shopping.example.net>"},
            {"Subject", " Is dinner ready?"},
            {"Date", " Fri, 11 Jul 2003 21:00:37 -0700 (PDT)"},
            {"Message-ID", " <20030712040037.46341.5F8J@football.example.com>"}};
}

KeyAnswer rfc8463_keys(std::string_view domain, std::string_view selector) {
    if (domain != "football.example.com") return {};
    if (selector == "brisbane") return {KeyAnswer::Kind::Found, {kEdKey}};
    if (selector == "test") return {KeyAnswer::Kind::Found, {kRsaKey}};
    return {};
}

std::vector<VerifyResult> run(std::vector<MessageHeader> headers, const std::string& body, const KeyLookup& keys,
                              std::uint64_t now = 1528637909) {
    MessageVerifier v(std::move(headers));
    v.feed_body(body);
    return v.finish(keys, now);
}

}  // namespace

TEST_CASE("MessageVerifier: RFC 8463 Appendix A, both signatures pass", "[dkim]") {
    const auto r = run(rfc8463_headers(), kBody, rfc8463_keys);
    REQUIRE(r.size() == 2);
    CHECK(r[0].status == VerifyStatus::Pass);
    CHECK(r[0].selector == "brisbane");
    CHECK(r[0].b_prefix == "/gCrinpc");
    CHECK(r[1].status == VerifyStatus::Pass);  // a 1024-bit key: at the RFC 8301 minimum
    CHECK(r[1].domain == "football.example.com");
}

TEST_CASE("RFC 8463 Appendix A: our Ed25519 signing reproduces b= exactly", "[dkim]") {
    // Ed25519 is deterministic: the appendix's private key over the same header data must give
    // the published signature byte for byte.
    const auto key = PrivateKey::from_ed25519_seed(*base64_decode("nWGxne/9WmC6hEr0kuwsxERJxWl7MmkZcDusAxyuf2A="));
    REQUIRE(key);
    const auto headers = rfc8463_headers();
    const auto sig = DkimSignature::parse(kEdSig);
    REQUIRE(sig);
    const std::string stripped = strip_b_value(kEdSig);
    HeaderHashInput in{&headers, &sig->signed_headers, 0, "DKIM-Signature", stripped, Canon::Relaxed};
    auto data = header_hash_data(in);
    REQUIRE(data);
    auto b = key->sign(*data);
    REQUIRE(b);
    CHECK(base64_encode(*b) == "/gCrinpcQOoIfuHNQIbq4pgh9kyIK3AQUdt9OdqQehSwhEIug4D11BusFa3bT3FY5OsU7ZbnKELq+eXdp1Q1Dw==");
}

TEST_CASE("MessageVerifier: failures and errors get RFC 8601 results", "[dkim]") {
    SECTION("changed body") {
        const auto r = run(rfc8463_headers(), std::string(kBody) + "x\r\n", rfc8463_keys);
        CHECK(r[0].status == VerifyStatus::Fail);
        CHECK(r[0].reason == "body hash did not verify");
    }
    SECTION("changed signed header") {
        auto h = rfc8463_headers();
        h[4].value = " Is lunch ready?";
        const auto r = run(h, kBody, rfc8463_keys);
        CHECK(r[0].status == VerifyStatus::Fail);
        CHECK(r[0].reason == "signature did not verify");
        CHECK(r[1].status == VerifyStatus::Fail);
    }
    SECTION("key lookups: none, temporary failure, unusable, revoked, wrong type") {
        const auto unusable = run(rfc8463_headers(), kBody, [](auto, auto) {
            return KeyAnswer{KeyAnswer::Kind::Invalid, {}, "TXT record longer than 16384 bytes"};
        });
        CHECK(unusable[0].status == VerifyStatus::PermError);
        CHECK(unusable[0].reason == "key record unusable: TXT record longer than 16384 bytes");
        CHECK(run(rfc8463_headers(), kBody, [](auto, auto) { return KeyAnswer{}; })[0].status ==
              VerifyStatus::PermError);
        CHECK(run(rfc8463_headers(), kBody, [](auto, auto) { return KeyAnswer{KeyAnswer::Kind::TempError, {}}; })[0]
                  .status == VerifyStatus::TempError);
        const auto revoked = run(rfc8463_headers(), kBody, [](auto, auto) {
            return KeyAnswer{KeyAnswer::Kind::Found, {"v=DKIM1; k=ed25519; p="}};
        });
        CHECK(revoked[0].reason == "key revoked");
        const auto swapped = run(rfc8463_headers(), kBody, [](auto, std::string_view s) {
            return KeyAnswer{KeyAnswer::Kind::Found, {s == "test" ? kEdKey : kRsaKey}};
        });
        CHECK(swapped[0].reason == "key type does not match a=");
        const auto garbage = run(rfc8463_headers(), kBody, [](auto, auto) {
            return KeyAnswer{KeyAnswer::Kind::Found, {"v=spf1 -all", kEdKey}};  // first usable record wins
        });
        CHECK(garbage[0].status == VerifyStatus::Pass);
    }
    SECTION("expired, rsa-sha1 and unparsable fields") {
        auto h = rfc8463_headers();
        h[0].value += "; x=1528637910";
        CHECK(run(h, kBody, rfc8463_keys, 1528637911)[0].reason == "signature expired");
        // At x= itself the field is not expired (it then fails: x= was added after signing).
        CHECK(run(h, kBody, rfc8463_keys, 1528637910)[0].reason == "signature did not verify");
        h[0].value = " v=1; a=rsa-sha1; d=e.com; s=s; h=from; bh=Zm9v; b=YmFy";
        CHECK(run(h, kBody, rfc8463_keys)[0].status == VerifyStatus::Policy);
        h[0].value = " v=1; a=rsa-sha256; d=e.com; s=s; h=to; bh=Zm9v; b=YmFy";
        const auto bad = run(h, kBody, rfc8463_keys);
        CHECK(bad[0].status == VerifyStatus::PermError);
        CHECK(bad[0].reason == "tag h=: From is not signed");
        CHECK(bad[0].b_prefix == "YmFy");
    }
}

TEST_CASE("MessageVerifier: at most kMaxDkimSignatures fields are evaluated", "[dkim]") {
    std::vector<MessageHeader> h;
    for (std::size_t i = 0; i < mw::limits::kMaxDkimSignatures + 3; ++i) h.push_back({"DKIM-Signature", kEdSig});
    for (auto& x : rfc8463_headers()) if (x.name != "DKIM-Signature") h.push_back(x);
    const auto r = run(h, kBody, rfc8463_keys);
    CHECK(r.size() == mw::limits::kMaxDkimSignatures);
}
