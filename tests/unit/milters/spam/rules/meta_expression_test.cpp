#include <catch2/catch.hpp>

#include <map>
#include <string>

#include "common/base/limits.hpp"
#include "milters/spam/rules/meta_expression.hpp"

using mw::spam::MetaExpression;

namespace {

// Rules A..E have ids 0..4; anything else is unknown.
int resolve(std::string_view name) {
    return name.size() == 1 && name[0] >= 'A' && name[0] <= 'E' ? name[0] - 'A' : -1;
}

double run(const std::string& text, std::map<char, double> hits) {
    auto expr = MetaExpression::parse(text, resolve);
    INFO(text);
    REQUIRE(expr);
    return expr->evaluate([&](int id) { return hits[static_cast<char>('A' + id)]; });
}

}  // namespace

TEST_CASE("MetaExpression: boolean operators", "[milters][spam][rules]") {
    CHECK(run("A && !B", {{'A', 1}}) == 1);
    CHECK(run("A && !B", {{'A', 1}, {'B', 1}}) == 0);
    CHECK(run("(A && !B) || C", {{'C', 1}}) == 1);
    CHECK(run("A || B", {{'B', 3}}) == 3);      // Perl: || yields the operand
    CHECK(run("A && B", {{'A', 1}, {'B', 2}}) == 2);
}

TEST_CASE("MetaExpression: precedence like Perl", "[milters][spam][rules]") {
    CHECK(run("A + B * 2", {{'A', 1}, {'B', 1}}) == 3);        // * before +
    CHECK(run("(A + B) * 2", {{'A', 1}, {'B', 1}}) == 4);
    CHECK(run("A + B + C > 1", {{'A', 1}, {'B', 1}}) == 1);    // + before >
    CHECK(run("A + B + C > 1", {{'A', 1}}) == 0);
    CHECK(run("!A + 1", {}) == 2);                             // ! before +
    CHECK(run("A > 0 && B > 0 || C", {{'C', 1}}) == 1);         // > before && before ||
    CHECK(run("A || B && C", {{'A', 0}, {'B', 1}, {'C', 0}}) == 0);  // && before ||
    CHECK(run("A - B - C", {{'A', 5}, {'B', 2}, {'C', 1}}) == 2);    // left-assoc
    CHECK(run("A / 2 * 4", {{'A', 1}}) == 2);
    CHECK(run("-A + 3", {{'A', 1}}) == 2);
    CHECK(run("A == 1 && B != 1", {{'A', 1}, {'B', 2}}) == 1);
    CHECK(run("A <= 1 && B >= 2 && C < 1", {{'A', 1}, {'B', 2}}) == 1);
    CHECK(run("1.5 * 2", {}) == 3);
}

TEST_CASE("MetaExpression: unknown rules count as 0 and are listed", "[milters][spam][rules]") {
    auto expr = MetaExpression::parse("A && !NOPE", resolve);
    REQUIRE(expr);
    REQUIRE(expr->references().size() == 2);
    CHECK(expr->references()[1].first == "NOPE");
    CHECK(expr->references()[1].second == -1);
    CHECK(expr->evaluate([](int) { return 1.0; }) == 1);
    CHECK(run("NOPE", {}) == 0);
}

TEST_CASE("MetaExpression: malformed expressions", "[milters][spam][rules]") {
    for (const char* bad : {"", "A &&", "(A", "A)", "A B", "A $ B", "A::B", "A ^ B", "A ? B : C",
                            "A / B", "A < B < C", "1.2.3", "A ->B", "{A}"}) {
        INFO(bad);
        CHECK_FALSE(MetaExpression::parse(bad, resolve));
    }
    CHECK(MetaExpression::parse("()", resolve));   // SA bug 8061: a declaration, always 0
    CHECK(run("( )", {}) == 0);
}

TEST_CASE("MetaExpression: division by zero at run time gives 0", "[milters][spam][rules]") {
    CHECK(run("A / (B + 1)", {{'A', 4}, {'B', 1}}) == 2);
    CHECK(run("A / (B - 1)", {{'A', 4}, {'B', 1}}) == 0);
}

TEST_CASE("MetaExpression: length and depth bounds", "[milters][spam][rules]") {
    using namespace mw::limits;
    std::string at_limit(kMaxSpamMetaLength, ' ');
    at_limit[0] = 'A';
    CHECK(MetaExpression::parse(at_limit, resolve));
    CHECK_FALSE(MetaExpression::parse(at_limit + " ", resolve));
    const std::string ok = std::string(kMaxSpamMetaDepth - 1, '(') + "A" + std::string(kMaxSpamMetaDepth - 1, ')');
    CHECK(MetaExpression::parse(ok, resolve));
    const std::string deep = std::string(kMaxSpamMetaDepth + 2, '(') + "A" + std::string(kMaxSpamMetaDepth + 2, ')');
    auto r = MetaExpression::parse(deep, resolve);
    REQUIRE_FALSE(r);
    CHECK(r.error().code == mw::ErrorCode::TooLong);
}
