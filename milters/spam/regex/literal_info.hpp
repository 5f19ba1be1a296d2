// LiteralInfo: the set algebra behind required_literals(). For one piece of a regex it records
// either an EXACT set (every match of the piece is one of these strings), a MATCH set (every
// match contains one of them) or ANY (nothing known). Concatenation builds literal runs as cross
// products of exact sets (bounded by kMaxRegexExactSet strings of kMaxRegexExactLength bytes)
// and keeps the best requirement; alternation unites sets (at most max_literals). Pure;
// thread-safe.
#pragma once

#include <optional>
#include <set>
#include <string>
#include <vector>

#include "milters/spam/regex/required_literals.hpp"

namespace mw::spam {

struct LiteralInfo {
    enum class Kind { Exact, Match, Any };
    Kind kind = Kind::Any;
    std::set<std::string> strings;   // Exact: every match IS one; Match: every match CONTAINS one
    bool break_after = false;        // x+, x{2,}: x once, then the literal run must end

    static LiteralInfo any() { return {}; }
    static LiteralInfo exact(std::set<std::string> s) { return {Kind::Exact, std::move(s), false}; }
    static LiteralInfo empty() { return exact({std::string()}); }   // zero-width items
};

/// The requirement an info gives: exact sets become match sets ("" among them: Any).
LiteralInfo as_match(const LiteralInfo& x);
/// True for a match set within the options' bounds.
bool usable(const LiteralInfo& m, const LiteralOptions& o);
/// Union of alternatives (a|b|c).
LiteralInfo alternate(const std::vector<LiteralInfo>& branches, const LiteralOptions& o);
/// x{min,max}; max nullopt: unbounded.
LiteralInfo quantify(LiteralInfo x, unsigned min, std::optional<unsigned> max);

/// A concatenation folded left to right.
class LiteralSequence {
public:
    explicit LiteralSequence(const LiteralOptions& o) : options_(&o) {}
    void add(const LiteralInfo& item);
    LiteralInfo finish();

private:
    void flush();

    const LiteralOptions* options_;
    std::set<std::string> run_{std::string()};   // exact set of the current literal run
    LiteralInfo best_;                           // best requirement before the run
    bool exact_ = true;                          // no run ended yet: the whole is exact
};

}  // namespace mw::spam
