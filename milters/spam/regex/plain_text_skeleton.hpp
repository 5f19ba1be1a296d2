// plain_text_skeleton(): for a Perl regex, a simpler regex that matches a SUPERSET of what it
// matches in a "plain" text: one whose bytes are all ASCII and none is '&'. Most mail paragraphs
// are plain (on the corpus 92 % of body texts, 83 % of the bytes), and in them the SpamAssassin
// FUZZY_* rules, whose every letter is an alternation of dozens of UTF-8 look-alike sequences
// and HTML entities, reduce to a few ASCII alternatives: Hyperscan compiles that in a few ms
// and scans it fast, where the full patterns either do not compile there or take seconds; so
// they ran with PCRE2 on every text. How the skeleton is made, giving up exactness only where a
// prefilter may (every hit is confirmed by the original regex):
//  - an atom that can match only non-plain bytes is dead; a sequence holding a dead atom that
//    must occur is dead; dead alternatives are dropped; an optional dead part becomes empty;
//  - lookarounds, anchors and word boundaries are dropped (they only restrict a match);
//  - repeats keep a lower bound of at most kMaxSkeletonRepeat and lose their upper bound;
//  - a backreference matches anything;
//  - every atom is written as the set of plain bytes it may match, both cases when caseless.
// Any construct it does not read (recursion, conditions, verbs, \K, \R, \X, /x) gives no
// skeleton, nor does one that can match the empty string. Bounds: the pattern's length
// (kMaxRegexPattern) and group depth (kMaxRegexGroupDepth). Pure; thread-safe.
#pragma once

#include <optional>
#include <string_view>

#include "milters/spam/regex/regex_spec.hpp"

namespace mw::spam {

struct PlainTextSkeleton {
    bool never = false;   // the regex cannot match any plain text
    RegexSpec spec;       // otherwise the superset regex (no flags: cases and dot-all folded in)
};

std::optional<PlainTextSkeleton> plain_text_skeleton(const RegexSpec& spec);

/// True when every byte of `text` is ASCII and none is '&'.
bool is_plain_text(std::string_view text);

}  // namespace mw::spam
