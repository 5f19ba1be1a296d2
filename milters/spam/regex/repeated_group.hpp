// RepeatedGroup: a whole pattern that is one group repeated at least n >= 2 times, `(?:X){n}`,
// `(X){n,m}`, and the prefilters its shape allows. SpamAssassin's __FILL_THIS_FORM_SHORT* are
// such patterns, with tag-expanded X of ~900 bytes: PCRE2 spends ~500 cycles per start position
// refuting them, and Hyperscan cannot compile them whole (too large, or seconds in prefilter
// mode for nothing).
//
// The pair pattern: any match of X{n} holds two adjacent copies of X, so it holds, from the
// first item of X with a required literal (in copy 1) to the last such item (in copy 2), a match
// of Z = X[first..] X[..last]. Z, with its long repeat bounds loosened, is small enough for an
// exact-mode Hyperscan database, and it is a necessary condition that the literal counts are not
// (on the corpus: 1,425 of 45,459 body texts for __FILL_THIS_FORM_SHORT2, against 8,210 with
// three literal occurrences). Pure; thread-safe.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "milters/spam/regex/regex_spec.hpp"

namespace mw::spam {

struct RepeatedGroup {
    std::string inner;        // X, in PCRE2 syntax (after pcre2_pattern_for)
    unsigned occurrences = 0; // n >= 2
};

/// X and n for a pattern of that shape; nullopt for any other (or for /x, or over
/// kMaxRegexPattern bytes).
std::optional<RepeatedGroup> repeated_group(const RegexSpec& spec);

/// The top-level items of a PCRE2 pattern read as a concatenation, each an atom with its
/// quantifier (`(?:a|b){1,3}`, `[a-z]+`, `\s?`, `x`). nullopt when the pattern has a top-level
/// '|', an inline option setting (`(?i)`), \Q..\E, a backreference, or cannot be read.
std::optional<std::vector<std::string_view>> top_level_items(std::string_view pattern);

/// The pair pattern Z of a repeated group (see above), in PCRE2 syntax with the spec's flags;
/// nullopt when the pattern is no repeated group or X has no item with a required literal.
std::optional<RegexSpec> repeated_pair_pattern(const RegexSpec& spec);

}  // namespace mw::spam
