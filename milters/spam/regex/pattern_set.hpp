// PatternSet: many rules' regular expressions of one rule type, matched against a text in one
// pass. Each entry's required literals (required_literals.hpp) go into ONE Hyperscan literal
// database; a single scan of the text finds the candidate entries. Entries without a usable
// literal go into small Hyperscan prefilter databases when they compile fast there, else they
// are tried with PCRE2 on every text ("fallback", listed in problems() for lint; so are
// empty-matching patterns). Every candidate is confirmed with its PcreRegex, so results have
// exact Perl semantics: scan() reports exactly the entries whose regex matches. A pattern that
// is one group repeated n times is a candidate only with n occurrences of the group's literals
// (repeated_literals: __FILL_THIS_FORM_LONG* have common words as literals, and PCRE2 takes
// ~50 µs to refute them on a paragraph), and, when Hyperscan compiles its pair pattern
// (repeated_group.hpp), only when that matches too; so is a long literal entry whose loosened
// whole pattern Hyperscan compiles in exact mode. On a plain text (ASCII, no '&': most paragraphs) a
// fallback with a plain-text skeleton (plain_text_skeleton.hpp) is a candidate only when the
// skeleton database reports it.
// Bounds: kMaxRegexLiterals literals per entry, kMaxRegexPrefilterBudgetMs of prefilter compile,
// kMaxRegexExactFilterBudgetMs of exact-filter compile.
// Thread-safety: immutable after build; each scanning thread passes its own PatternScratch.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/base/result.hpp"
#include "milters/spam/regex/pcre_regex.hpp"
#include "milters/spam/regex/regex_spec.hpp"

namespace mw::spam {

struct PatternSetEntry {
    uint32_t id = 0;       // the caller's id (e.g. rule index); unique in one set
    RegexSpec spec;
};

/// Why an entry is not (fully) served by the set, for lint.
struct PatternProblem {
    uint32_t id = 0;
    bool rejected = false;   // true: PCRE2 could not compile it, the entry is dropped;
                             // false: Hyperscan could not, it runs as a PCRE2 fallback
    std::string message;
};

/// How a set is built. Added for tests and for CPUs without SSSE3 (where Hyperscan cannot run
/// and every entry is a fallback anyway).
struct PatternSetOptions {
    bool use_hyperscan = true;   // false: no database, every entry is tried with PCRE2
};

/// How an entry is served by scan().
enum class PatternService {
    Literal,     // candidate when one of its required literals occurs
    Prefilter,   // candidate when the Hyperscan prefilter database reports it
    Fallback,    // tried with PCRE2 on every text
};

/// Per-set counts, for lint ("N literal-prefiltered, M hyperscan-prefiltered, K fallback").
struct PatternSetStats {
    std::size_t literal = 0;
    std::size_t prefilter = 0;
    std::size_t fallback = 0;
    std::size_t literals = 0;   // strings in the literal database
    std::size_t counted = 0;    // of the literal entries, those needing n occurrences (repeated_literals)
    std::size_t paired = 0;     // of those, also needing their pair pattern to match (repeated_group.hpp)
    std::size_t filtered = 0;   // literal entries of 512-2048 bytes also needing their loosened whole
                                // pattern to match in an exact-mode Hyperscan database
    std::size_t plain = 0;      // of the fallbacks, those a plain text tries only through their skeleton
};

class PatternScratch {
public:
    PatternScratch();
    ~PatternScratch();
    PatternScratch(PatternScratch&&) noexcept;
    PatternScratch& operator=(PatternScratch&&) noexcept;
    struct Impl;
    Impl& impl() { return *impl_; }
private:
    std::unique_ptr<Impl> impl_;
};

class PatternSet {
public:
    /// Never fails as a whole: entries that do not compile are reported in problems().
    static PatternSet build(std::vector<PatternSetEntry> entries);
    static PatternSet build(std::vector<PatternSetEntry> entries, PatternSetOptions options);

    PatternSet(PatternSet&&) noexcept;
    PatternSet& operator=(PatternSet&&) noexcept;
    ~PatternSet();

    /// Calls on_match(id) once for each entry that matches `text` (confirmed by PCRE2), in
    /// ascending id order. `scratch` must have been prepared for this set (prepare()).
    void scan(std::string_view text, PatternScratch& scratch,
              const std::function<void(uint32_t)>& on_match) const;
    /// Allocates Hyperscan scratch space in `scratch` big enough for this set (several sets
    /// may share one scratch: call prepare for each).
    void prepare(PatternScratch& scratch) const;

    /// The compiled PCRE2 regex of an entry (for counting matches with tflags multiple), or null.
    const PcreRegex* regex(uint32_t id) const;
    MatchScratch& match_scratch(PatternScratch& scratch) const;

    const std::vector<PatternProblem>& problems() const;
    std::size_t size() const;          // entries that compiled
    std::size_t prefiltered() const;   // of those, served by a Hyperscan database
    PatternSetStats stats() const;
    /// How an entry is served; nullopt for an id not in the set (or rejected).
    std::optional<PatternService> service(uint32_t id) const;
    struct Impl;
private:
    explicit PatternSet(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> impl_;
};

}  // namespace mw::spam
