#include <catch2/catch.hpp>

#include "milters/spam/scan/address_list.hpp"

using mw::spam::parse_address_list;

TEST_CASE("address list: name-addr, addr-spec with comment, bare address") {
    auto a = parse_address_list("\"Doe, John\" <john@example.com>, jane@example.org (Jane Roe), x@y.z");
    REQUIRE(a.size() == 3);
    CHECK(a[0].phrase == "Doe, John");
    CHECK(a[0].address == "john@example.com");
    CHECK(a[1].address == "jane@example.org");
    CHECK(a[1].phrase == "Jane Roe");
    CHECK(a[2].address == "x@y.z");
    CHECK(a[2].phrase.empty());
}

TEST_CASE("address list: groups give their members; empty groups give nothing") {
    auto a = parse_address_list("friends: a@x.example, B <b@y.example>;, undisclosed-recipients:;");
    REQUIRE(a.size() == 2);
    CHECK(a[0].address == "a@x.example");
    CHECK(a[1].address == "b@y.example");
    CHECK(a[1].phrase == "B");
}

TEST_CASE("address list: obsolete route, nested comments, unbalanced input") {
    auto a = parse_address_list("<@relay.example:user@example.com> (a (nested) comment)");
    REQUIRE(a.size() == 1);
    CHECK(a[0].address == "user@example.com");
    auto b = parse_address_list("\"unterminated <x@y.example>");
    CHECK(b.size() <= 1);   // no crash, no read past the end
    auto c = parse_address_list("Name <open@example.com");
    REQUIRE(c.size() == 1);
    CHECK(c[0].address == "open@example.com");
}

TEST_CASE("address list: bounded") {
    std::string many;
    for (int i = 0; i < 3000; ++i) many += "a@b.example,";
    CHECK(parse_address_list(many).size() == mw::spam::kMaxAddresses);
}
