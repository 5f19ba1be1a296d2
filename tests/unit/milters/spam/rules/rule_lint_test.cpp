#include <catch2/catch.hpp>

#include "milters/spam/rules/rule_file_parser.hpp"
#include "milters/spam/rules/rule_lint.hpp"

using namespace mw::spam;

TEST_CASE("RuleLint: counts, diagnostics and extra findings", "[milters][spam][rules]") {
    RuleFileParser parser({});
    REQUIRE(parser.load_text("body A /a/\nbody E eval:check_x()\nheader H Subject =~ /s/\n"
                             "meta M A && NOPE\nbody BAD /x\nutil_rb_tld com\nutil_rb_tld net\n",
                             "t.cf"));
    const RuleSet set = parser.finish();
    const RuleCounts c = count_rules(set);
    CHECK(c.by_type[static_cast<int>(RuleType::Body)] == 2);
    CHECK(c.evals[static_cast<int>(RuleType::Body)] == 1);
    CHECK(c.by_type[static_cast<int>(RuleType::Meta)] == 1);
    CHECK(c.errors == 1);
    CHECK(c.unsupported == 1);
    CHECK(c.ignored == 2);

    const RuleDiagnostic extra{RuleDiagnostic::Kind::Unsupported, {"t.cf", 1}, "A", "regex does not compile"};
    const std::string text = format_lint(set, {extra}, {"evals implemented: 0 of 1"});
    CHECK(text.find("rules: 4 (header 1, body 2, meta 1)") != std::string::npos);
    CHECK(text.find("eval tests: 1 (body 1)") != std::string::npos);
    CHECK(text.find("1 error(s), 2 unsupported, 2 ignored") != std::string::npos);
    CHECK(text.find("t.cf:5: error: ") != std::string::npos);
    CHECK(text.find("t.cf:4: unsupported: meta M: unknown rule NOPE") != std::string::npos);
    CHECK(text.find("t.cf:1: unsupported: A: regex does not compile") != std::string::npos);
    CHECK(text.find("t.cf:6: ignored: directive util_rb_tld (2 lines)") != std::string::npos);
    CHECK(text.find("note: evals implemented: 0 of 1") != std::string::npos);
}
