#include <catch2/catch.hpp>

#include "milters/dkim/base64.hpp"

using namespace mw::dkim;

TEST_CASE("Base64: RFC 4648 §10 vectors both ways", "[dkim]") {
    const std::pair<const char*, const char*> v[] = {{"", ""}, {"f", "Zg=="}, {"fo", "Zm8="}, {"foo", "Zm9v"},
                                                     {"foob", "Zm9vYg=="}, {"fooba", "Zm9vYmE="}, {"foobar", "Zm9vYmFy"}};
    for (const auto& [plain, enc] : v) {
        CHECK(base64_encode(plain) == enc);
        CHECK(base64_decode(enc) == std::string(plain));
    }
}

TEST_CASE("Base64: FWS is skipped, garbage and bad padding refused", "[dkim]") {
    CHECK(base64_decode(" Zm9v\r\n\tYmFy ") == std::string("foobar"));
    CHECK(base64_decode("Zm9vY g==") == std::string("foob"));
    CHECK_FALSE(base64_decode("Zm9v!"));
    CHECK_FALSE(base64_decode("Zm9"));       // not a multiple of 4
    CHECK_FALSE(base64_decode("Zg="));
    CHECK_FALSE(base64_decode("Zm8=="));     // too much padding
    CHECK_FALSE(base64_decode("Zg==Zg=="));  // data after padding
    CHECK_FALSE(base64_decode("Zh=="));      // non-zero leftover bits
}
