#include <catch2/catch.hpp>

#include <string>

#include "common/base/limits.hpp"
#include "milters/dkim/tag_list.hpp"

using namespace mw::dkim;
using mw::ErrorCode;

TEST_CASE("TagList: names, values, FWS and the trailing ';'", "[dkim]") {
    auto t = TagList::parse(" v=1;\r\n\ta = rsa-sha256 ; h=From : To;  z=a b;");
    REQUIRE(t);
    REQUIRE(t->tags().size() == 4);
    CHECK(t->find("v") == "1");
    CHECK(t->find("a") == "rsa-sha256");
    CHECK(t->find("h") == "From : To");
    CHECK(t->find("z") == "a b");
    CHECK_FALSE(t->find("A"));  // names are case-sensitive
    CHECK(TagList::parse("")->tags().empty());
    CHECK(TagList::parse("p=")->find("p") == "");
}

TEST_CASE("TagList: errors are named", "[dkim]") {
    struct Case { const char* text; const char* what; };
    const Case cases[] = {
        {"v=1; v=2", "duplicate tag 'v'"},
        {"v=1; novalue", "has no '='"},
        {"1v=1", "bad tag name"},
        {"v=1;;a=b", "has no '='"},
        {"a-b=1", "bad tag name"},
        {"a=b\x01", "bad character in tag 'a'"},
    };
    for (const auto& c : cases) {
        INFO(c.text);
        auto r = TagList::parse(c.text);
        REQUIRE_FALSE(r);
        CHECK(r.error().message.find(c.what) != std::string::npos);
    }
}

TEST_CASE("TagList: bounds at the limit and one past", "[dkim]") {
    std::string many;
    for (std::size_t i = 0; i < mw::limits::kMaxDkimTags; ++i) many += "t" + std::to_string(i) + "=x;";
    CHECK(TagList::parse(many));
    auto over = TagList::parse(many + "u=1");
    REQUIRE_FALSE(over);
    CHECK(over.error().code == ErrorCode::TooLong);

    std::string big = "z=" + std::string(mw::limits::kMaxDkimTagList - 2, 'a');
    CHECK(TagList::parse(big));
    auto too_big = TagList::parse(big + "a");
    REQUIRE_FALSE(too_big);
    CHECK(too_big.error().code == ErrorCode::TooLong);
}
