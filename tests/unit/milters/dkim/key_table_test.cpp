#include <catch2/catch.hpp>

#include "common/base/limits.hpp"
#include "milters/dkim/key_table.hpp"

using namespace mw::dkim;

TEST_CASE("KeyTable: OpenDKIM lines, comments, relative key paths", "[dkim]") {
    auto t = KeyTable::parse(
        "# KeyTable\n"
        "mail._domainkey.example.com  Example.com:mail:/etc/mailwarden/keys/mail.private\n"
        "\n"
        "ed\texample.com:ed:keys/ed.private   # comment\n",
        "/etc/mailwarden/key_table");
    REQUIRE(t);
    REQUIRE(t->entries().size() == 2);
    const auto* e = t->find("mail._domainkey.example.com");
    REQUIRE(e);
    CHECK(e->domain == "example.com");
    CHECK(e->selector == "mail");
    CHECK(e->key_file == "/etc/mailwarden/keys/mail.private");
    CHECK(e->pos.line == 2);
    CHECK(t->find("ed")->key_file == "/etc/mailwarden/keys/ed.private");
    CHECK(t->find("ed")->pos.line == 4);
    CHECK_FALSE(t->find("nope"));
}

TEST_CASE("KeyTable: errors at FILE:LINE", "[dkim]") {
    struct Case { const char* text; const char* error; };
    const Case cases[] = {
        {"a example.com:s:/k\nb\n", "kt:2: expected 'KEYNAME DOMAIN:SELECTOR:KEYFILE'"},
        {"a example.com:s\n", "kt:1: key 'a': expected DOMAIN:SELECTOR:KEYFILE"},
        {"a exa mple.com:s:/k\n", "kt:1: key 'a': bad domain 'exa mple.com'"},
        {"a bad..com:s:/k\n", "kt:1: key 'a': bad domain 'bad..com'"},
        {"a example.com::/k\n", "kt:1: key 'a': bad selector ''"},
        {"a example.com:s:\n", "kt:1: key 'a': bad key file ''"},
        {"a example.com:s:/k\n#\na example.org:s:/k\n", "kt:3: duplicate key name 'a'"},
    };
    for (const auto& c : cases) {
        INFO(c.text);
        auto t = KeyTable::parse(c.text, "kt");
        REQUIRE_FALSE(t);
        CHECK(t.error().to_string() == c.error);
    }
}

TEST_CASE("KeyTable: line length at the limit and one past", "[dkim]") {
    const std::string head = "a example.com:s:/";
    const std::string at = head + std::string(mw::limits::kMaxDkimTableLine - head.size(), 'k');
    CHECK(KeyTable::parse(at + "\n", "kt"));
    auto over = KeyTable::parse(at + "k\n", "kt");
    REQUIRE_FALSE(over);
    CHECK(over.error().to_string() == "kt:1: line longer than 4096 bytes");
}

TEST_CASE("KeyTable: a missing file is an error naming it", "[dkim]") {
    auto t = KeyTable::load("/nonexistent/key_table");
    REQUIRE_FALSE(t);
    CHECK(t.error().message.find("/nonexistent/key_table") != std::string::npos);
}
