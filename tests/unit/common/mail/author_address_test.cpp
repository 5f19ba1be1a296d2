// author_address(): the single mailbox of a From: field value.
#include <catch2/catch.hpp>

#include "common/mail/author_address.hpp"

using mw::mail::author_address;

TEST_CASE("author_address", "[mail]") {
    CHECK(author_address(" Alice <alice@example.com>") == "alice@example.com");
    CHECK(author_address("alice@example.com (Alice)") == "alice@example.com");
    CHECK(author_address("\"Smith, <Bob>\" <bob@example.com>") == "bob@example.com");
    CHECK(author_address(" bob@example.com\r\n") == "bob@example.com");
    CHECK_FALSE(author_address("a@example.com, b@example.com"));
    CHECK_FALSE(author_address("undisclosed-recipients:;"));
    CHECK_FALSE(author_address("Alice <alice>"));
    CHECK_FALSE(author_address(""));
}
