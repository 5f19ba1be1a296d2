#include <catch2/catch.hpp>

#include <string>

#include "common/base/limits.hpp"
#include "milters/dkim/dkim_signature.hpp"

using namespace mw::dkim;

namespace {
const std::string kGood =
    "v=1; a=rsa-sha256; c=relaxed/simple; d=Example.com; s=sel;\r\n\t i=joe@sub.example.com;"
    " t=100; x=200; l=42; q=dns/txt; h=From : To:\r\n\tSubject; bh=Zm9v; b=YmFy\r\n\t YmF6; z=From:x";

std::string with(std::string text, const std::string& from, const std::string& to) {
    return text.replace(text.find(from), from.size(), to);
}
}  // namespace

TEST_CASE("DkimSignature: every tag parses", "[dkim]") {
    auto s = DkimSignature::parse(kGood);
    REQUIRE(s);
    CHECK(s->algorithm == Algorithm::RsaSha256);
    CHECK(s->canon == Canonicalization{Canon::Relaxed, Canon::Simple});
    CHECK(s->domain == "Example.com");
    CHECK(s->selector == "sel");
    CHECK(s->identity == "joe@sub.example.com");
    CHECK(s->timestamp == 100u);
    CHECK(s->expiration == 200u);
    CHECK(s->body_length == 42u);
    CHECK(s->signed_headers == std::vector<std::string>{"From", "To", "Subject"});
    CHECK(s->body_hash == "foo");
    CHECK(s->signature == "barbaz");
}

TEST_CASE("DkimSignature: defaults", "[dkim]") {
    auto s = DkimSignature::parse("v=1; a=ed25519-sha256; d=example.com; s=s; h=from; bh=Zm9v; b=YmFy");
    REQUIRE(s);
    CHECK(s->algorithm == Algorithm::Ed25519Sha256);
    CHECK(s->canon == Canonicalization{Canon::Simple, Canon::Simple});
    CHECK(s->identity == "@example.com");
    CHECK_FALSE(s->timestamp);
    CHECK_FALSE(s->body_length);
    CHECK(DkimSignature::parse("v=1; a=rsa-sha1; d=e.com; s=s; h=from; bh=Zm9v; b=YmFy")->algorithm ==
          Algorithm::RsaSha1);
}

TEST_CASE("DkimSignature: errors name the tag", "[dkim]") {
    struct Case { std::string text; const char* what; };
    const Case cases[] = {
        {with(kGood, "v=1", "v=2"), "tag v=: unsupported version"},
        {with(kGood, "a=rsa-sha256", "a=rsa-md5"), "tag a=: unknown algorithm"},
        {with(kGood, " s=sel;", ""), "missing tag s="},
        {with(kGood, "bh=Zm9v", "bh=Zm9"), "tag bh=: bad base64"},
        {with(kGood, "b=YmFy", "b=!"), "tag b=: bad base64"},
        {with(kGood, "c=relaxed/simple", "c=fancy"), "tag c=: unknown"},
        {with(kGood, "i=joe@sub.example.com", "i=joe@example.org"), "tag i=: not within d="},
        {with(kGood, "i=joe@sub.example.com", "i=joe@badexample.com"), "tag i=: not within d="},
        {with(kGood, "x=200", "x=99"), "tag x=: before t="},
        {with(kGood, "t=100", "t=1e5"), "tag t=: not a number"},
        {with(kGood, "l=42", "l=99999999999999999999"), "tag l=: not a number"},
        {with(kGood, "q=dns/txt", "q=http"), "tag q=: no dns/txt"},
        {with(kGood, "h=From : To:", "h=Sender : To:"), "tag h=: From is not signed"},
        {with(kGood, "h=From : To:", "h=From :: To:"), "tag h=: empty header name"},
        {with(kGood, "d=Example.com", "d="), "tag d=: empty"},
    };
    for (const auto& c : cases) {
        INFO(c.text);
        auto r = DkimSignature::parse(c.text);
        REQUIRE_FALSE(r);
        CHECK(r.error().message.find(c.what) != std::string::npos);
    }
}

TEST_CASE("DkimSignature: h= at the limit and one past", "[dkim]") {
    std::string h = "From";
    for (std::size_t i = 1; i < mw::limits::kMaxDkimSignedHeaders; ++i) h += ":X";
    const std::string base = "v=1; a=rsa-sha256; d=e.com; s=s; bh=Zm9v; b=YmFy; h=";
    auto ok = DkimSignature::parse(base + h);
    REQUIRE(ok);
    CHECK(ok->signed_headers.size() == mw::limits::kMaxDkimSignedHeaders);
    auto over = DkimSignature::parse(base + h + ":Y");
    REQUIRE_FALSE(over);
    CHECK(over.error().code == mw::ErrorCode::TooLong);
}

TEST_CASE("DkimSignature: decimal values", "[dkim]") {
    CHECK(parse_decimal("0") == 0u);
    CHECK(parse_decimal("1234567890123456789") == 1234567890123456789u);
    CHECK_FALSE(parse_decimal("12345678901234567890"));
    CHECK_FALSE(parse_decimal("-1"));
    CHECK_FALSE(parse_decimal(""));
}
