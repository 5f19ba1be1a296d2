// HyperscanDatabase: a block-mode Hyperscan database of many patterns compiled in prefilter mode
// (HS_FLAG_PREFILTER | HS_FLAG_SINGLEMATCH), used only to find candidate patterns: a prefilter
// match may be a false positive, never a false negative. Patterns Hyperscan rejects (\K, \G, \R,
// (?|...), ...) or that can match the empty string are left out and reported to the caller.
// The only file that includes <hs.h> is hyperscan_database.cpp. Needs SSSE3 (available()).
// Thread-safety: the database is immutable; each scanning thread uses its own HyperscanScratch.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

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

    HyperscanDatabase();
    ~HyperscanDatabase();
    HyperscanDatabase(HyperscanDatabase&&) noexcept;
    HyperscanDatabase& operator=(HyperscanDatabase&&) noexcept;

    bool empty() const;
    /// Grows `scratch` so that it can scan this database.
    bool prepare(HyperscanScratch& scratch) const;
    /// Sets bit `position` in `candidates` (one bit per pattern, sized by the caller) for each
    /// pattern that may match. False on a scan error: the caller must then treat every pattern
    /// as a candidate.
    bool scan(std::string_view text, HyperscanScratch& scratch,
              std::vector<uint64_t>& candidates) const;

    struct Impl;
private:
    std::unique_ptr<Impl> impl_;
};

}  // namespace mw::spam
