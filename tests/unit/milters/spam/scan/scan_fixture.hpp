// Test helpers: rules compiled from .cf text, messages parsed from raw text, one scan.
#pragma once

#include <catch2/catch.hpp>

#include <algorithm>
#include <string>
#include <vector>

#include "milters/spam/mime/message_parser.hpp"
#include "milters/spam/rules/rule_file_parser.hpp"
#include "milters/spam/scan/compiled_rules.hpp"
#include "milters/spam/scan/spam_scanner.hpp"
#include "milters/spam/spam_settings.hpp"

namespace mw::spam::test {

inline CompiledRules compile_rules(const std::string& cf) {
    RuleParserOptions o;
    o.plugins = default_plugins();
    RuleFileParser parser(std::move(o));
    REQUIRE(parser.load_text(cf, "test.cf"));
    RuleSet set = parser.finish();
    for (const auto& d : set.diagnostics) {
        INFO(d.where.file << ":" << d.where.line << ": " << d.message);
        REQUIRE(d.kind != RuleDiagnostic::Kind::Error);
    }
    return CompiledRules::compile(std::move(set), EvalRegistry::builtin());
}

struct ScanResult {
    ScanOutcome outcome;
    std::vector<std::string> names;
    bool hit(const std::string& n) const { return std::find(names.begin(), names.end(), n) != names.end(); }
};

inline ScanResult scan(const CompiledRules& rules, const std::string& raw, Envelope env = {}, AuthFacts auth = {},
                       Deadline deadline = Deadline::never()) {
    mime_library_init();
    ParsedMessage m = parse_message(raw);
    ScanInput in;
    in.message = &m;
    in.config = &rules.rule_set();
    in.freemail = &rules.freemail();
    in.raw = raw;
    in.envelope = std::move(env);
    in.auth = std::move(auth);
    ScanScratch scratch;
    ScanResult r;
    r.outcome = scan_message(rules, in, scratch, deadline);
    for (uint32_t id : r.outcome.hits) r.names.push_back(rules.rule(id).name);
    return r;
}

inline uint32_t id_of(const CompiledRules& rules, const std::string& name) {
    auto it = rules.rule_set().index.find(name);
    REQUIRE(it != rules.rule_set().index.end());
    return static_cast<uint32_t>(it->second);
}

}  // namespace mw::spam::test
