// Fuzzes the SpamAssassin rule-file reader: any text as a .cf file (conditionals, tests, scores,
// ReplaceTags), then finish(), then every meta expression parsed and evaluated, and lint text.
#include <cstdint>
#include <string>
#include <string_view>

#include "milters/spam/rules/meta_expression.hpp"
#include "milters/spam/rules/rule_file_parser.hpp"
#include "milters/spam/rules/rule_lint.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    mw::spam::RuleParserOptions options;
    options.plugins = {"Mail::SpamAssassin::Plugin::ReplaceTags", "Mail::SpamAssassin::Plugin::MIMEHeader"};
    mw::spam::RuleFileParser parser(options);
    (void)parser.load_text(text, "/nonexistent/fuzz.cf");   // includes resolve to nothing
    const mw::spam::RuleSet set = parser.finish();
    for (const auto& rule : set.rules) {
        if (rule.type != mw::spam::RuleType::Meta) continue;
        auto expr = mw::spam::MetaExpression::parse(rule.meta, [&](std::string_view name) {
            auto it = set.index.find(std::string(name));
            return it == set.index.end() ? -1 : static_cast<int>(it->second);
        });
        if (expr) (void)expr->evaluate([](int id) { return static_cast<double>(id % 3); });
    }
    (void)mw::spam::format_lint(set);
    return 0;
}
