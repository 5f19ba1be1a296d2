#include <catch2/catch.hpp>

#include "milters/dkim/signing_table.hpp"

using namespace mw::dkim;

namespace {
SigningTable table(const char* text) {
    auto t = SigningTable::parse(text, "st");
    REQUIRE(t);
    return *t;
}
using Keys = std::vector<std::string>;
}  // namespace

TEST_CASE("SigningTable: OpenDKIM refile patterns", "[dkim]") {
    const auto t = table(
        "ceo@example.com      ceo-key\n"
        "*@example.com        rsa\n"
        "*@example.com        ed\n"
        "*@.example.com       sub\n"
        "example.org          org\n"
        ".example.net         net-sub\n"
        "sales-*@example.info sales\n");
    CHECK(t.find_all("ceo@example.com") == Keys{"ceo-key", "rsa", "ed"});
    CHECK(t.find_first("ceo@example.com") == Keys{"ceo-key"});
    CHECK(t.find_all("joe@EXAMPLE.com") == Keys{"rsa", "ed"});  // case-insensitive
    CHECK(t.find_all("joe@mail.example.com") == Keys{"sub"});   // subdomains only
    CHECK(t.find_all("joe@a.b.example.com") == Keys{"sub"});
    CHECK(t.find_all("joe@badexample.com").empty());
    CHECK(t.find_all("x@example.org") == Keys{"org"});
    CHECK(t.find_all("x@sub.example.org").empty());
    CHECK(t.find_all("x@example.net").empty());
    CHECK(t.find_all("x@h.example.net") == Keys{"net-sub"});
    CHECK(t.find_all("sales-eu@example.info") == Keys{"sales"});
    CHECK(t.find_all("support@example.info").empty());
    CHECK(t.find_all("user@example.org.evil").empty());
}

TEST_CASE("SigningTable: '*' matches all, duplicates reported once", "[dkim]") {
    const auto t = table("* k1\n*@example.com k1\n");
    CHECK(t.find_all("a@example.com") == Keys{"k1"});
    CHECK(t.find_all("a@other.test") == Keys{"k1"});
}

TEST_CASE("SigningTable: glob matching", "[dkim]") {
    CHECK(glob_match("*", ""));
    CHECK(glob_match("a*b*c", "aXXbYYc"));
    CHECK(glob_match("a*b*c", "abc"));
    CHECK_FALSE(glob_match("a*b*c", "acb"));
    CHECK(glob_match("*@*.x", "u@a.x"));
    CHECK_FALSE(glob_match("*@*.x", "u@x"));
    CHECK(glob_match("**a", "a"));
}

TEST_CASE("SigningTable: errors at FILE:LINE and unknown keys", "[dkim]") {
    struct Case { const char* text; const char* error; };
    const Case cases[] = {
        {"*@example.com\n", "st:1: expected 'PATTERN KEYNAME'"},
        {"a@b@c k\n", "st:1: bad pattern 'a@b@c'"},
        {"# c\n@example.com k\n", "st:2: bad pattern '@example.com'"},
        {"user@ k\n", "st:1: bad pattern 'user@'"},
        {"*@example.com k1 k2\n", "st:1: pattern '*@example.com': expected one KEYNAME"},
    };
    for (const auto& c : cases) {
        INFO(c.text);
        auto t = SigningTable::parse(c.text, "st");
        REQUIRE_FALSE(t);
        CHECK(t.error().to_string() == c.error);
    }
    auto keys = KeyTable::parse("k1 example.com:s:/k\n", "kt");
    REQUIRE(keys);
    CHECK(table("*@example.com k1\n").check_keys(*keys));
    auto missing = table("*@example.com k1\n\nexample.org k2\n").check_keys(*keys);
    REQUIRE_FALSE(missing);
    CHECK(missing.error().to_string() == "st:3: key 'k2' is not in the key table");
}
