// The report `mailwarden spam lint` prints: the rule files' own lint (rules by type, evals,
// settings, diagnostics at FILE:LINE) followed by what the scanner made of them: how many rules
// run, how many are unsupported and why (grouped by reason, each rule listed with -v), how many
// are off (network tests, score 0), and how many patterns the Hyperscan prefilter serves.
// Pure; thread-safe.
#pragma once

#include <string>

#include "milters/spam/scan/compiled_rules.hpp"

namespace mw::spam {

std::string spam_lint_report(const CompiledRules& rules, bool verbose);

}  // namespace mw::spam
