// RuleLint: the text `mailwarden-spam -t` / `mailwarden check-config` prints about a RuleSet:
// rules by type, eval tests by type, metas, global settings, then diagnostics by kind. Errors
// and Unsupported items are listed one per line as "FILE:LINE: kind: [RULE:] message"; Ignored
// directives are summed per directive with the first place each was seen. Callers (the scanner)
// add their own findings (regexes that failed to compile, evals not implemented) through
// `extra` and free-form `notes`. Pure; thread-safe.
#pragma once

#include <string>
#include <vector>

#include "milters/spam/rules/rule_set.hpp"

namespace mw::spam {

/// Counts of one RuleSet (also used by tests and the scanner's start-up log line).
struct RuleCounts {
    std::size_t by_type[7] = {};        // indexed by RuleType
    std::size_t evals[7] = {};          // eval: tests, by RuleType
    std::size_t errors = 0, unsupported = 0, ignored = 0;
};

RuleCounts count_rules(const RuleSet& set, const std::vector<RuleDiagnostic>& extra = {});

std::string format_lint(const RuleSet& set, const std::vector<RuleDiagnostic>& extra = {},
                        const std::vector<std::string>& notes = {});

/// "header", "body", ... for messages.
const char* rule_type_name(RuleType type);

}  // namespace mw::spam
