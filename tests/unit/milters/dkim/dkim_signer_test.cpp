#include <catch2/catch.hpp>

#include <sstream>

#include "milters/dkim/dkim_signer.hpp"
#include "milters/dkim/dkim_verifier.hpp"
#include "milters/dkim/key_record.hpp"
#include "milters/dkim/base64.hpp"
#include "milters/dkim/tag_list.hpp"
#include "tests/unit/milters/dkim/test_keys.hpp"

using namespace mw::dkim;

namespace {

const std::vector<MessageHeader> kHeaders = {
    {"Received", " from x by y;\r\n\tMon, 1 Jan 2024 00:00:00 +0000"},
    {"From", " Joe <joe@example.com>"},
    {"To", "  Suzie   <suzie@example.net>"},
    {"Subject", " Is dinner\r\n ready?"},
    {"Date", " Mon, 1 Jan 2024 00:00:00 +0000"},
    {"Message-ID", " <1@example.com>"},
};
const std::string kBody = "Hi.\r\n\r\nWe lost the game.  Are you hungry yet?\r\n\r\nJoe.\r\n\r\n";

SigningKey key(const char* pem, const char* selector) {
    return SigningKey{"example.com", selector, *PrivateKey::from_pem(pem)};
}

std::string txt_for(const SigningKey& k) {
    return "v=DKIM1; k=" + std::string(key_type_name(k.key.type())) + "; p=" + base64_encode(k.key.public_key_bytes());
}

std::vector<MessageHeader> sign(std::vector<SigningKey> keys, SignerOptions opt, const std::string& body) {
    MessageSigner signer(std::move(keys), std::move(opt));
    signer.feed_body(body);
    auto out = signer.finish(kHeaders, 1700000000);
    REQUIRE(out);
    return *out;
}

std::vector<VerifyResult> verify(const std::vector<MessageHeader>& sigs, std::vector<MessageHeader> headers,
                                 const std::string& body, const std::vector<SigningKey>& keys) {
    headers.insert(headers.begin(), sigs.begin(), sigs.end());
    MessageVerifier v(std::move(headers));
    v.feed_body(body);
    return v.finish([&](std::string_view d, std::string_view s) {
        for (const auto& k : keys)
            if (k.domain == d && k.selector == s) return KeyAnswer{KeyAnswer::Kind::Found, {txt_for(k)}};
        return KeyAnswer{};
    }, 1700000001);
}

}  // namespace

TEST_CASE("MessageSigner: RSA and Ed25519 in every canonicalization verify", "[dkim]") {
    const std::vector<SigningKey> keys = {key(test::kRsa2048Pem, "rsa"), key(test::kEd25519Pem, "ed")};
    for (Canon h : {Canon::Simple, Canon::Relaxed})
        for (Canon b : {Canon::Simple, Canon::Relaxed}) {
            SignerOptions opt;
            opt.canon = {h, b};
            const auto sigs = sign(keys, opt, kBody);
            REQUIRE(sigs.size() == 2);  // dual signing: one field per key
            const auto results = verify(sigs, kHeaders, kBody, keys);
            REQUIRE(results.size() == 2);
            INFO(canonicalization_text(opt.canon));
            CHECK(results[0].status == VerifyStatus::Pass);
            CHECK(results[1].status == VerifyStatus::Pass);
            CHECK(results[0].selector == "rsa");
            CHECK(results[1].selector == "ed");
        }
}

TEST_CASE("MessageSigner: changed header or body fails", "[dkim]") {
    const std::vector<SigningKey> keys = {key(test::kEd25519Pem, "ed")};
    const auto sigs = sign(keys, {}, kBody);
    auto tampered = kHeaders;
    tampered[3].value = " Is lunch ready?";
    CHECK(verify(sigs, tampered, kBody, keys)[0].status == VerifyStatus::Fail);
    CHECK(verify(sigs, kHeaders, kBody + "P.S.\r\n", keys)[0].reason == "body hash did not verify");
    // Relaxed/relaxed survives white-space changes and added empty lines.
    auto spaced = kHeaders;
    spaced[1].value = "  Joe   <joe@example.com>  ";
    CHECK(verify(sigs, spaced, kBody + "\r\n\r\n", keys)[0].status == VerifyStatus::Pass);
}

TEST_CASE("MessageSigner: oversigned From breaks on an added From", "[dkim]") {
    const std::vector<SigningKey> keys = {key(test::kEd25519Pem, "ed")};
    const auto sigs = sign(keys, {}, kBody);
    auto added = kHeaders;
    added.push_back({"From", " Mallory <m@evil.example>"});
    CHECK(verify(sigs, added, kBody, keys)[0].status == VerifyStatus::Fail);
    // Without oversigning, a From added above the signed one is not covered (bottom-up selection
    // takes the lower, signed one) and the signature still passes; oversigning's extra h=From
    // picks up the added field and fails.
    SignerOptions no_over;
    no_over.oversign.clear();
    const auto plain = sign(keys, no_over, kBody);
    auto top = kHeaders;
    top.insert(top.begin(), {"From", " Mallory <m@evil.example>"});
    CHECK(verify(plain, top, kBody, keys)[0].status == VerifyStatus::Pass);
    CHECK(verify(sigs, top, kBody, keys)[0].status == VerifyStatus::Fail);
}

TEST_CASE("MessageSigner: tags, h= list and folding", "[dkim]") {
    SignerOptions opt;
    opt.expire_after = 3600;
    const auto sigs = sign({key(test::kRsa2048Pem, "sel")}, opt, kBody);
    REQUIRE(sigs.size() == 1);
    const std::string& v = sigs[0].value;
    auto tags = TagList::parse(v);
    REQUIRE(tags);
    CHECK(tags->find("t") == "1700000000");
    CHECK(tags->find("x") == "1700003600");
    CHECK_FALSE(tags->find("l"));
    CHECK(tags->find("c") == "relaxed/relaxed");
    CHECK(tags->find("a") == "rsa-sha256");
    CHECK(remove_fws(*tags->find("h")) == "From:From:Subject:Date:To:Message-ID");
    // Folded: no line longer than 78 (with "DKIM-Signature:" on the first), CRLF + TAB folds.
    std::istringstream lines("DKIM-Signature:" + v);
    std::string line;
    while (std::getline(lines, line)) CHECK(line.size() <= 79);  // + the CR
    CHECK(v.find("\r\n\t") != std::string::npos);
    CHECK(v.front() == ' ');
}

TEST_CASE("signed_header_names: counts instances, oversigns, keeps config case", "[dkim]") {
    SignerOptions opt;
    opt.headers = {"From", "Received", "Cc"};
    opt.oversign = {"From", "Reply-To"};
    CHECK(signed_header_names(kHeaders, opt) ==
          std::vector<std::string>{"From", "From", "Received", "Reply-To"});
}
