#include <catch2/catch.hpp>

#include "milters/spam/rules/replace_tags.hpp"

using mw::spam::ReplaceTags;

TEST_CASE("ReplaceTags: tags, inter and post as SA's plugin", "[milters][spam][rules]") {
    ReplaceTags tags;
    REQUIRE(tags.add("replace_tag", "V (?:v|\\\\/)"));
    REQUIRE(tags.add("replace_tag", "A (?:a|4)"));
    REQUIRE(tags.add("replace_inter", "W1 [\\s_]?"));
    REQUIRE(tags.add("replace_post", "P2 {1,2}"));
    CHECK(tags.replace("<V><A>") == "(?:v|\\\\/)(?:a|4)");
    CHECK(tags.replace("<inter W1><V><A>") == "[\\s_]?(?:v|\\\\/)[\\s_]?(?:a|4)");
    CHECK(tags.replace("<post P2><V>x") == "(?:v|\\\\/){1,2}x");
    CHECK(tags.replace("<UNKNOWN>") == "<UNKNOWN>");
    CHECK(tags.replace("(?<=a)b") == "(?<=a)b");
}

TEST_CASE("ReplaceTags: nested tags take more passes", "[milters][spam][rules]") {
    ReplaceTags tags;
    REQUIRE(tags.add("replace_tag", "X <Y>"));
    REQUIRE(tags.add("replace_tag", "Y y"));
    CHECK(tags.replace("a<X>b") == "ayb");
}

TEST_CASE("ReplaceTags: applies only to replace_rules", "[milters][spam][rules]") {
    ReplaceTags tags;
    REQUIRE(tags.add("replace_tag", "A a"));
    REQUIRE(tags.add("replace_rules", "R1 R3"));
    CHECK_FALSE(tags.add("replace_tag", "ONLYNAME"));
    mw::spam::RuleSet set;
    for (const char* name : {"R1", "R2"}) {
        mw::spam::Rule r;
        r.name = name;
        r.regex = mw::spam::RegexSpec{"<A>"};
        set.index[name] = set.rules.size();
        set.rules.push_back(r);
    }
    tags.apply(set);
    CHECK(set.rules[0].regex->pattern == "a");
    CHECK(set.rules[1].regex->pattern == "<A>");
}
