// RegexSpec: one Perl regular expression as a SpamAssassin rule file writes it (`/re/flags`,
// `m{re}flags`, `m!re!i`), split into the pattern text and the modifiers that change matching.
// Pure value type, produced by the rule parser (rules/), compiled by regex/ (PCRE2 + Hyperscan).
#pragma once

#include <string>

namespace mw::spam {

struct RegexSpec {
    std::string pattern;      // between the delimiters, unchanged (Perl syntax)
    bool caseless = false;    // i
    bool multiline = false;   // m
    bool dotall = false;      // s
    bool extended = false;    // x
};

}  // namespace mw::spam
