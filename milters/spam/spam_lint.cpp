#include "milters/spam/spam_lint.hpp"

#include <fmt/format.h>

#include <map>

#include "milters/spam/rules/rule_lint.hpp"

namespace mw::spam {

namespace {

/// "eval:check_rbl not implemented" and "meta: uses X (...)" grouped without the rule names.
std::string reason_group(const std::string& why) {
    if (why.rfind("meta: uses ", 0) == 0) return "meta over an unsupported rule";
    if (why.rfind("regex: ", 0) == 0) return "regex does not compile with PCRE2";
    return why;
}

std::vector<RuleDiagnostic> unsupported_rules(const CompiledRules& rules) {
    std::vector<RuleDiagnostic> out;
    for (uint32_t id = 0; id < rules.size(); ++id) {
        const RuleStatus& st = rules.status(id);
        if (st.state != RuleState::Unsupported) continue;
        out.push_back({RuleDiagnostic::Kind::Unsupported, rules.rule(id).defined_at, rules.rule(id).name, st.why});
    }
    return out;
}

}  // namespace

std::string spam_lint_report(const CompiledRules& rules, bool verbose) {
    std::vector<std::string> notes;
    const PatternSetStats ps = rules.pattern_stats();
    notes.push_back(fmt::format("scanner: {} rules runnable, {} unsupported (never run, never scored), {} off",
                                rules.count(RuleState::Runnable), rules.count(RuleState::Unsupported),
                                rules.count(RuleState::Off)));
    notes.push_back(fmt::format("scanner: body/rawbody/uri/full patterns: {} found through their required literals "
                                "({} literals, one Hyperscan pass per text; {} repeated groups whose literals must "
                                "occur once per copy, {} of them also through a pair pattern; {} long ones also through "
                                "their whole pattern in exact mode), {} through Hyperscan's prefilter mode, {} tried with PCRE2 on "
                                "every text ({} of them on plain ASCII texts only through a skeleton); every "
                                "candidate is confirmed by PCRE2",
                                ps.literal, ps.literals, ps.counted, ps.paired, ps.filtered, ps.prefilter, ps.fallback, ps.plain));
    std::map<std::string, int> unsupported, off;
    for (uint32_t id = 0; id < rules.size(); ++id) {
        const RuleStatus& st = rules.status(id);
        if (st.state == RuleState::Unsupported) ++unsupported[reason_group(st.why)];
        if (st.state == RuleState::Off) ++off[st.why];
    }
    for (const auto& [why, n] : unsupported) notes.push_back(fmt::format("unsupported: {:5} {}", n, why));
    for (const auto& [why, n] : off) notes.push_back(fmt::format("off:         {:5} {}", n, why));
    if (verbose) {
        // The rules that cost the most per text: tried with PCRE2 on every text they apply to.
        for (const auto& p : rules.pattern_problems()) {
            if (p.rejected) continue;
            const Rule& r = rules.rule(p.id);
            notes.push_back(fmt::format("slow: {}:{}: {}: {}", r.defined_at.file, r.defined_at.line, r.name, p.message));
        }
    }
    return format_lint(rules.rule_set(), verbose ? unsupported_rules(rules) : std::vector<RuleDiagnostic>{}, notes);
}

}  // namespace mw::spam
