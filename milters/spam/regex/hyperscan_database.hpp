// HyperscanDatabase: a block-mode Hyperscan database used only to find candidate patterns; a
// candidate may be a false positive, never a false negative. Two kinds: a LITERAL database
// (hs_compile_lit_multi, HS_FLAG_SINGLEMATCH) of many patterns' required literals, and a small
// PREFILTER database (HS_FLAG_PREFILTER | HS_FLAG_SINGLEMATCH) of regexes; and an EXACT
// database of one regex, for conditions Hyperscan decides exactly. Prefilter patterns
// Hyperscan rejects (\K, \G, \R, (?|...), ...), that can match the empty string, or that take
// longer than kMaxRegexPrefilterCompileMs alone (kMaxRegexPrefilterBudgetMs for all) to compile
// are left out and reported to the caller. The only file that includes <hs.h> is
// hyperscan_database.cpp. Needs SSSE3 (available()).
// Thread-safety: the database is immutable; each scanning thread uses its own HyperscanScratch.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "common/base/result.hpp"
#include "milters/spam/regex/regex_spec.hpp"

namespace mw::spam {

/// Per-thread Hyperscan scratch space; one scratch may serve several databases.
class HyperscanScratch {
public:
    HyperscanScratch();
    ~HyperscanScratch();
    HyperscanScratch(HyperscanScratch&&) noexcept;
    HyperscanScratch& operator=(HyperscanScratch&&) noexcept;
    struct Impl;
    Impl& impl() { return *impl_; }
private:
    std::unique_ptr<Impl> impl_;
};

/// One literal of a literal database; several literals may report the same id.
struct HyperscanLiteral {
    std::string bytes;       // matched as bytes (NUL allowed)
    bool caseless = false;   // ASCII case-insensitive
    unsigned id = 0;
    bool counted = false;    // report every occurrence (for LiteralCounts), not just the first
};

/// Per id: occurrences of its counted literals at distinct end offsets, for scan(). The caller
/// sizes both vectors (one slot per id) and zeroes the slots it reads before each scan.
struct LiteralCounts {
    std::vector<uint32_t> count;
    std::vector<unsigned long long> last_end;   // end offset last counted, +1 (0: none)
};

/// How build() compiles regexes: Hyperscan's prefilter mode (a superset Hyperscan may simplify;
/// patterns up to 512 bytes and kMaxRegexPrefilterCompileMs each), or exact mode for patterns
/// that are already supersets made simple (plain-text skeletons; up to 8 KB and
/// kMaxRegexExactCompileMs each), which prefilter mode refuses as too long or too slow.
enum class HyperscanMode { Prefilter, Exact };

struct HyperscanReject {
    std::size_t index = 0;   // position in the pattern list given to build()
    std::string message;
};

class HyperscanDatabase {
public:
    /// True when this CPU can run Hyperscan (hs_valid_platform()).
    static bool available();

    /// Compiles `specs` (already rewritten for PCRE2 syntax); `rejects` receives those left
    /// out. The database reports pattern ids = positions in `specs`.
    static HyperscanDatabase build(const std::vector<RegexSpec>& specs,
                                   std::vector<HyperscanReject>& rejects);
    /// As build(), but the database reports ids[i] for specs[i] (rejects still hold positions).
    static HyperscanDatabase build(const std::vector<RegexSpec>& specs,
                                   const std::vector<unsigned>& ids,
                                   std::vector<HyperscanReject>& rejects,
                                   HyperscanMode mode = HyperscanMode::Prefilter);
    /// One pattern in exact mode (not prefilter) reporting `id`, for a necessary condition that
    /// Hyperscan can decide alone (repeated_group.hpp's pair pattern). Fails when Hyperscan
    /// refuses it or it is over 8 KB or can match the empty string; `spent_ms` grows by the
    /// compile's CPU time. No per-pattern time limit: the caller budgets several.
    static Result<HyperscanDatabase> build_exact(const RegexSpec& spec, unsigned id, double& spent_ms);
    /// One literal database; an empty database when `literals` is empty. Fails (with
    /// Hyperscan's message) only when Hyperscan refuses the whole list.
    static Result<HyperscanDatabase> build_literals(const std::vector<HyperscanLiteral>& literals);

    HyperscanDatabase();
    ~HyperscanDatabase();
    HyperscanDatabase(HyperscanDatabase&&) noexcept;
    HyperscanDatabase& operator=(HyperscanDatabase&&) noexcept;

    bool empty() const;
    /// Grows `scratch` so that it can scan this database.
    bool prepare(HyperscanScratch& scratch) const;
    /// Sets bit `id` in `candidates` (one bit per pattern, sized by the caller) for each
    /// pattern that may match. False on a scan error: the caller must then treat every pattern
    /// as a candidate.
    bool scan(std::string_view text, HyperscanScratch& scratch,
              std::vector<uint64_t>& candidates, LiteralCounts* counts = nullptr) const;

    struct Impl;
private:
    std::unique_ptr<Impl> impl_;
};

}  // namespace mw::spam
