#include <catch2/catch.hpp>

#include "milters/spam/spam_headers.hpp"

using namespace mw::spam;

namespace {

SpamVerdict verdict(double score, std::vector<std::string> names) {
    SpamVerdict v;
    v.score = score;
    v.required = 5.0;
    v.spam = score >= 5.0;
    v.version = "mailwarden-spam 0.1.0";
    for (auto& n : names) v.tests.push_back({n, 1.0, "description of " + n});
    return v;
}

}  // namespace

TEST_CASE("spam headers: score format, level stars") {
    CHECK(format_score(7.25) == "7.3");
    CHECK(format_score(-0.04) == "0.0");
    CHECK(format_score(4.95) == "5.0");
    CHECK(format_score(-1.96) == "-2.0");
    CHECK(spam_level(7.9) == "*******");
    CHECK(spam_level(-3).empty());
    CHECK(spam_level(1000).size() == 50);
}

TEST_CASE("spam headers: X-Spam-Status as SpamAssassin writes it") {
    CHECK(spam_status(verdict(7.3, {"A", "B_C"})) ==
          "Yes, score=7.3 required=5.0 tests=A,B_C autolearn=disabled version=mailwarden-spam 0.1.0");
    CHECK(spam_status(verdict(0, {})).rfind("No, score=0.0 required=5.0 tests=none ", 0) == 0);
}

TEST_CASE("spam headers: the fields, flag only for spam, report when asked") {
    auto ham = spam_header_fields(verdict(1.0, {"X"}), false);
    REQUIRE(ham.size() == 3);
    CHECK(ham[0].first == "X-Spam-Score");
    auto spam = spam_header_fields(verdict(9.0, {"X"}), true);
    REQUIRE(spam.size() == 5);
    CHECK(spam[0] == std::pair<std::string, std::string>{"X-Spam-Flag", "YES"});
    CHECK(spam[4].first == "X-Spam-Report");
    CHECK(spam[4].second.find("description of X") != std::string::npos);
}

TEST_CASE("spam headers: long values fold at 78 columns") {
    std::vector<std::string> names;
    for (int i = 0; i < 40; ++i) names.push_back("SOME_LONG_RULE_NAME_" + std::to_string(i));
    std::string v = fold_header_value(spam_status(verdict(12, names)), 13);
    std::size_t start = 0, longest = 0;
    bool first = true;
    while (start <= v.size()) {
        auto nl = v.find('\n', start);
        if (nl == std::string::npos) nl = v.size();
        longest = std::max(longest, nl - start + (first ? 15 : 0));
        first = false;
        start = nl + 1;
    }
    CHECK(longest <= 78);
    CHECK(v.find("\n\t") != std::string::npos);
    std::string unfolded;
    for (std::size_t i = 0; i < v.size(); ++i) {
        if (v[i] == '\n') { unfolded += ' '; ++i; continue; }
        unfolded += v[i];
    }
    CHECK(unfolded.find("SOME_LONG_RULE_NAME_39") != std::string::npos);
}
