#include <catch2/catch.hpp>

#include <string>

#include "milters/dkim/body_canonicalizer.hpp"
#include "milters/dkim/body_hasher.hpp"
#include "milters/dkim/base64.hpp"

using namespace mw::dkim;

namespace {

std::string canon(Canon c, std::string_view body) {
    BodyCanonicalizer bc(c);
    std::string out;
    bc.feed(body, out);
    bc.finish(out);
    return out;
}

// Every split of `body` into two and into single bytes gives the same output as one chunk.
void check_splits(Canon c, const std::string& body) {
    const std::string whole = canon(c, body);
    for (std::size_t cut = 0; cut <= body.size(); ++cut) {
        BodyCanonicalizer bc(c);
        std::string out;
        bc.feed(std::string_view(body).substr(0, cut), out);
        bc.feed(std::string_view(body).substr(cut), out);
        bc.finish(out);
        INFO("cut at " << cut);
        CHECK(out == whole);
    }
    BodyCanonicalizer bc(c);
    std::string out;
    for (char ch : body) bc.feed(std::string_view(&ch, 1), out);
    bc.finish(out);
    CHECK(out == whole);
}

}  // namespace

TEST_CASE("BodyCanonicalizer: RFC 6376 §3.4.5 body example", "[dkim]") {
    const std::string body = " C \r\nD \t E\r\n\r\n\r\n";
    CHECK(canon(Canon::Relaxed, body) == " C\r\nD E\r\n");
    CHECK(canon(Canon::Simple, body) == " C \r\nD \t E\r\n");
}

TEST_CASE("BodyCanonicalizer: empty bodies and missing final CRLF", "[dkim]") {
    CHECK(canon(Canon::Simple, "") == "\r\n");       // §3.4.3
    CHECK(canon(Canon::Relaxed, "") == "");          // §3.4.4
    CHECK(canon(Canon::Simple, "\r\n\r\n") == "\r\n");
    CHECK(canon(Canon::Relaxed, "\r\n \t\r\n") == "");
    CHECK(canon(Canon::Simple, "abc") == "abc\r\n");
    CHECK(canon(Canon::Relaxed, "abc  ") == "abc\r\n");
    CHECK(canon(Canon::Simple, "a\r\n\r\nb\r\n\r\n") == "a\r\n\r\nb\r\n");
    CHECK(canon(Canon::Simple, "a\n\nb\n") == "a\r\n\r\nb\r\n");  // bare LF is a line end
    CHECK(canon(Canon::Simple, "a\rb\r") == "a\rb\r\r\n");        // bare CR is data
    CHECK(canon(Canon::Relaxed, "  lead\r\n") == " lead\r\n");   // leading WSP becomes one SP
}

TEST_CASE("BodyCanonicalizer: chunk boundaries anywhere give the same bytes", "[dkim]") {
    const std::string body = "Hi \t there \r\n\r\n  \r\nline\rx\r\n\r\n \r\n\r";
    check_splits(Canon::Simple, body);
    check_splits(Canon::Relaxed, body);
}

TEST_CASE("BodyCanonicalizer: trailing empty lines are counted, not buffered", "[dkim]") {
    for (Canon c : {Canon::Simple, Canon::Relaxed}) {
        BodyCanonicalizer bc(c);
        std::string out;
        bc.feed("x\r\n", out);
        out.clear();
        const std::string empties(200000, '\n');
        bc.feed(empties, out);
        CHECK(out.empty());  // nothing emitted or held as text until content follows
        bc.feed("y", out);
        CHECK(out.size() == 2 * (200000 + 1) + 1);  // the CRLF of "x" was deferred too
        out.clear();
        bc.finish(out);
        CHECK(out == "\r\n");
    }
}

TEST_CASE("BodyHasher: known body hashes and l=", "[dkim]") {
    auto bh = [](Canon c, std::string_view body, std::optional<std::uint64_t> l = std::nullopt) {
        BodyHasher h(c, l);
        h.feed(body);
        const Digest d = h.finish();
        return base64_encode(std::string_view(reinterpret_cast<const char*>(d.data()), d.size()));
    };
    // SHA-256 of "\r\n" and of "": the well-known empty-body hashes.
    CHECK(bh(Canon::Simple, "") == "frcCV1k9oG9oKj3dpUqdJg1PxRT2RSN/XKdLCPjaYaY=");
    CHECK(bh(Canon::Relaxed, "") == "47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=");
    // The RFC 6376 / RFC 8463 example body.
    const std::string body = "Hi.\r\n\r\nWe lost the game.  Are you hungry yet?\r\n\r\nJoe.\r\n";
    CHECK(bh(Canon::Relaxed, body) == "2jUSOH9NhtVGCQWNr9BrIAPreKQjO6Sn7XIkfJVOzv8=");
    CHECK(bh(Canon::Simple, body + "\r\n\r\n") == "4bLNXImK9drULnmePzZNEBleUanJCX5PIsDIFoH4KTQ=");
    CHECK(bh(Canon::Simple, "abc", 0) == bh(Canon::Relaxed, ""));
    CHECK(bh(Canon::Simple, "Hi.\r\nmore", 5) == bh(Canon::Simple, "Hi."));
}
