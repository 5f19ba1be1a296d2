#include <catch2/catch.hpp>

#include "milters/spam/rules/if_condition.hpp"

using namespace mw::spam;

namespace {
const std::set<std::string> kPlugins = {"Mail::SpamAssassin::Plugin::DKIM", "Mail::SpamAssassin::Plugin::DMARC"};
const std::set<std::string> kFeatures = {"Mail::SpamAssassin::Conf::feature_bug6558_free"};
const IfEnvironment kEnv{&kPlugins, &kFeatures, 4.000001};

bool eval(const char* text) {
    auto r = evaluate_if_condition(text, kEnv);
    REQUIRE(r);
    return *r;
}
}  // namespace

TEST_CASE("IfCondition: plugin, can, version", "[milters][spam][rules]") {
    CHECK(eval("plugin(Mail::SpamAssassin::Plugin::DKIM)"));
    CHECK_FALSE(eval("plugin(Mail::SpamAssassin::Plugin::SPF)"));
    CHECK(eval("plugin(Mail::SpamAssassin::Plugin::Dmarc)"));  // renamed module
    CHECK(eval("can(Mail::SpamAssassin::Conf::feature_bug6558_free)"));
    CHECK_FALSE(eval("can(Mail::SpamAssassin::Conf::feature_nope)"));
    CHECK(eval("(version >= 3.004002)"));
    CHECK_FALSE(eval("version > 4.1"));
    CHECK(eval("version == 4.000001"));
}

TEST_CASE("IfCondition: ! && || and parentheses", "[milters][spam][rules]") {
    CHECK(eval("!plugin(Mail::SpamAssassin::Plugin::SPF)"));
    CHECK(eval("!(!plugin(Mail::SpamAssassin::Plugin::DKIM))"));
    CHECK_FALSE(eval("!((version >= 3.004000))"));
    CHECK(eval("plugin(Mail::SpamAssassin::Plugin::SPF) || version >= 4"));
    CHECK_FALSE(eval("plugin(Mail::SpamAssassin::Plugin::SPF) && version >= 4"));
    CHECK(eval("(1 || 0) && !0"));
}

TEST_CASE("IfCondition: malformed conditions", "[milters][spam][rules]") {
    CHECK_FALSE(evaluate_if_condition("plugin(", kEnv));
    CHECK_FALSE(evaluate_if_condition("version >=", kEnv));
    CHECK_FALSE(evaluate_if_condition("system('rm')", kEnv));
    CHECK_FALSE(evaluate_if_condition("can(nocolons)", kEnv));
    CHECK_FALSE(evaluate_if_condition("(1", kEnv));
    CHECK_FALSE(evaluate_if_condition("$x", kEnv));
}
