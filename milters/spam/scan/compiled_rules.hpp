// CompiledRules: a RuleSet made ready to run. Regexes are compiled (PCRE2; body, rawbody, uri
// and full rules also into one Hyperscan-prefiltered PatternSet per type), eval: rules bound to
// our native functions, meta expressions parsed and put in dependency order, and every rule
// given a state: runnable, unsupported (we cannot run it exactly: an eval we lack, a header we
// do not compute, a regex PCRE2 rejects, a meta over such a rule) or off (network tests, score
// 0). Unsupported rules never run and never score; lint lists them with the reason.
// Thread-safety: immutable after compile(); shared by all scanning threads.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "milters/spam/regex/pattern_set.hpp"
#include "milters/spam/regex/pcre_regex.hpp"
#include "milters/spam/rules/meta_expression.hpp"
#include "milters/spam/rules/rule_set.hpp"
#include "milters/spam/scan/eval_registry.hpp"
#include "milters/spam/scan/freemail_domains.hpp"

namespace mw::spam {

enum class RuleState : uint8_t { Runnable, Unsupported, Off };

struct RuleStatus {
    RuleState state = RuleState::Runnable;
    std::string why;          // Unsupported / Off: the reason
    double score = 0;         // in the chosen score set
    bool counted = true;      // false for "__" sub-rules: they feed metas, never the score
};

struct CompileOptions {
    int score_set = 0;        // SA: 0 no Bayes, no network; 1 network; 2 Bayes; 3 both
    bool network_tests = false;
};

class CompiledRules {
public:
    static CompiledRules compile(RuleSet set, const EvalRegistry& evals, CompileOptions options = {});

    const RuleSet& rule_set() const { return set_; }
    const Rule& rule(uint32_t id) const { return set_.rules[id]; }
    const RuleStatus& status(uint32_t id) const { return status_[id]; }
    std::size_t size() const { return set_.rules.size(); }

    /// Rules of each state, for lint and the start-up log line.
    std::size_t count(RuleState s) const;
    /// The regex problems of the pattern sets (fallbacks, rejects), rule ids as given.
    std::vector<PatternProblem> pattern_problems() const;
    /// How many pattern rules Hyperscan prefilters, of how many.
    std::pair<std::size_t, std::size_t> prefilter_coverage() const;
    /// How the body/rawbody/uri/full patterns are served, summed over the four sets.
    PatternSetStats pattern_stats() const;

    struct HeaderRule {
        uint32_t id;
        std::optional<PcreRegex> regex;  // none for exists: tests and for rules in the group's set
    };
    struct HeaderGroup {
        HeaderTarget target;             // the text all its rules look at
        std::vector<HeaderRule> rules;
        // Groups with many plain (not negated) regex rules, such as Subject, ALL or Received,
        // match them through one PatternSet: one literal scan of the text instead of one PCRE2
        // search per rule. Its rules keep no regex of their own (set->regex(id) has it).
        std::optional<PatternSet> set;
        const PcreRegex* regex(const HeaderRule& r) const { return r.regex ? &*r.regex : set ? set->regex(r.id) : nullptr; }
    };

    const std::vector<HeaderGroup>& header_groups() const { return header_groups_; }
    const std::vector<HeaderGroup>& mimeheader_groups() const { return mimeheader_groups_; }
    const PatternSet& patterns(RuleType t) const;
    /// Grows `scratch` for every pattern set (the four rule types' and the header groups').
    void prepare(PatternScratch& scratch) const;
    const std::vector<uint32_t>& eval_rules() const { return eval_rules_; }
    const EvalEntry* eval_of(uint32_t id) const { return evals_[id]; }
    /// Meta rules in an order where each comes after every meta it uses.
    const std::vector<uint32_t>& meta_order() const { return meta_order_; }
    const MetaExpression& meta(uint32_t id) const { return *metas_[id]; }
    const FreemailDomains& freemail() const { return freemail_; }

private:
    CompiledRules() = default;
    void classify(const EvalRegistry& evals, const CompileOptions& o);
    void compile_patterns();
    void build_header_sets(std::vector<HeaderGroup>& groups);
    void compile_headers();
    void compile_metas();
    void mark(uint32_t id, RuleState s, std::string why);

    RuleSet set_;
    std::vector<RuleStatus> status_;
    std::vector<const EvalEntry*> evals_;
    std::vector<HeaderGroup> header_groups_, mimeheader_groups_;
    std::vector<PatternSet> sets_;        // Body, Rawbody, Uri, Full
    std::vector<uint32_t> eval_rules_;
    std::vector<std::optional<MetaExpression>> metas_;
    std::vector<uint32_t> meta_order_;
    FreemailDomains freemail_;
};

}  // namespace mw::spam
