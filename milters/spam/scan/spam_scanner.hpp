// The scan of one message: every runnable rule of a CompiledRules against a ScanInput, in
// SpamAssassin's order (header, mimeheader, body, rawbody, uri, full, eval, then metas), giving
// the hit counts, the score in the chosen score set and the names of the rules that hit.
// Pattern types go through their PatternSet: one Hyperscan pass per text, PCRE2 to confirm.
// Time-bounded: each PCRE2 match is bounded by its match limits, and the scan stops at the
// deadline (timed_out; the rules run so far still count).
// Thread-safety: scan() is reentrant given one ScanScratch per thread.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "common/base/deadline.hpp"
#include "milters/spam/regex/pattern_set.hpp"
#include "milters/spam/regex/pcre_regex.hpp"
#include "milters/spam/scan/compiled_rules.hpp"
#include "milters/spam/scan/scan_input.hpp"

namespace mw::spam {

/// Per-thread working memory of the scanner; prepare() it for each CompiledRules it scans with.
struct ScanScratch {
    PatternScratch patterns;
    MatchScratch match;
    std::vector<int> hits;
    const CompiledRules* prepared_for = nullptr;

    void prepare(const CompiledRules& rules);
};

struct ScanOutcome {
    double score = 0;
    std::vector<uint32_t> hits;   // counted rules that hit, sorted by name
    bool timed_out = false;
};

ScanOutcome scan_message(const CompiledRules& rules, const ScanInput& input, ScanScratch& scratch,
                         Deadline deadline);

}  // namespace mw::spam
