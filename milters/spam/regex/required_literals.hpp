// Required literals of a Perl regex: a small set of byte strings such that ANY match of the
// regex contains at least one of them (an OR-set, as RE2's FilteredRE2 and SpamAssassin's
// sa-compile "bases"). A literal prefilter scans a text for these strings and runs the regex
// only when one is present. Reads the pattern as PCRE2 will (after pcre2_pattern_for); any
// construct it does not understand yields "no literal" for that part, never a wrong literal.
// With /i or any inline (?i) every literal is reported caseless (lower case, ASCII folding as
// PCRE2 without UCP). Bounds: at most kMaxRegexLiterals strings, each at least
// kMinRegexLiteral bytes by default; group nesting deeper than kMaxRegexGroupDepth gives none.
// Pure; thread-safe.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "common/base/limits.hpp"
#include "milters/spam/regex/regex_spec.hpp"

namespace mw::spam {

struct RequiredLiterals {
    std::vector<std::string> literals;   // sorted, unique, none shorter than min_length
    bool caseless = false;               // true: compare ASCII-caselessly (literals are lower case)
};

struct LiteralOptions {
    std::size_t min_length = limits::kMinRegexLiteral;
    std::size_t max_literals = limits::kMaxRegexLiterals;
};

/// The OR-set of literals every match contains, or nullopt when none could be found within
/// the options' bounds (the regex must then be run on every text).
std::optional<RequiredLiterals> required_literals(const RegexSpec& spec,
                                                  const LiteralOptions& options = {});

struct RepeatedLiterals {
    RequiredLiterals literals;
    unsigned occurrences = 0;   // at least this many, at distinct end offsets, in any match
};

/// For a pattern that is one group repeated at least n >= 2 times, `(?:X){n}`, `(X){n,m}`: the
/// OR-set of X, of which every match holds n occurrences ending at distinct offsets (its n
/// copies of X are disjoint, each holding one). SpamAssassin's __FILL_THIS_FORM_LONG* are such
/// patterns, with common words as X's literals: one occurrence says little, five say much.
/// nullopt for any other shape (or /x), or when X has no literals.
std::optional<RepeatedLiterals> repeated_literals(const RegexSpec& spec,
                                                  const LiteralOptions& options = {});

}  // namespace mw::spam
