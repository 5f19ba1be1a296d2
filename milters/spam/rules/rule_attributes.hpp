// RuleAttributes: the per-rule settings that SpamAssassin keeps apart from the test itself
// (score, describe, tflags, priority; SA 4.0.1 Conf.pm). They may come before or after the rule's
// definition, in any file, and later lines replace earlier ones, so they are collected here and
// merged into the rules by apply(). Defaults (Conf/Parser.pm fix_tests): score 1.0, 0.01 for T_
// rules, negated for tflags nice; we give "__" sub-rules 0 (they are never counted).
// Scores for names never defined are dropped, as SA does. Thread-compatible.
#pragma once

#include <array>
#include <map>
#include <string>
#include <string_view>

#include "common/base/result.hpp"
#include "milters/spam/rules/rule_set.hpp"

namespace mw::spam {

class RuleAttributes {
public:
    /// "NAME s" or "NAME s s s s", each s -?\d+(.\d+)? or "(s)" relative to the previous score.
    Result<void> add_score(std::string_view value);
    /// "NAME text".
    Result<void> add_description(std::string_view value);
    /// "NAME flag flag ..." (replaces earlier tflags of NAME).
    Result<void> add_tflags(std::string_view value);
    /// "NAME n".
    Result<void> add_priority(std::string_view value);

    /// Merges everything into `set.rules` and applies the defaults.
    void apply(RuleSet& set) const;

    /// tflags text -> RuleFlags (unknown flags are ignored, as SA ignores them).
    static RuleFlags parse_flags(std::string_view text);

private:
    std::map<std::string, std::array<double, 4>, std::less<>> scores_;
    std::map<std::string, std::string, std::less<>> descriptions_;
    std::map<std::string, std::string, std::less<>> tflags_;
    std::map<std::string, int, std::less<>> priorities_;
};

/// Splits "NAME rest" at the first run of white space; rest may be empty.
std::pair<std::string_view, std::string_view> split_name(std::string_view value);

}  // namespace mw::spam
