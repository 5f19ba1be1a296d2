// Rewrites the few Perl 5.36 regex constructs that PCRE2 10.42 reads differently, so that a
// SpamAssassin pattern keeps Perl's meaning: `x{,3}` is {0,3} in Perl (5.34+) but a literal in
// PCRE2, and Perl allows blanks inside a quantifier's braces (`x{1, 3}`). Everything else is
// passed through unchanged (escapes, classes, \Q..\E quoting are left alone). Pure; the output is
// at most a few bytes per quantifier longer than the input. Thread-safe.
#pragma once

#include <string>
#include <string_view>

namespace mw::spam {

/// The pattern text to hand to PCRE2 (and Hyperscan) for a Perl pattern.
std::string pcre2_pattern_for(std::string_view perl);

/// For a prefilter: as pcre2_pattern_for, but a quantifier whose upper bound is over
/// `max_bound` becomes unbounded ({n,m} -> {n,}). That matches a superset, and spares Hyperscan
/// the huge automata of bounds like [^>]{0,2048}.
std::string prefilter_pattern_for(std::string_view perl, unsigned max_bound);

}  // namespace mw::spam
