#include "milters/spam/regex/pattern_set.hpp"

#include <algorithm>

#include "common/base/limits.hpp"
#include "milters/spam/regex/hyperscan_database.hpp"
#include "milters/spam/regex/perl_pattern.hpp"
#include "milters/spam/regex/plain_text_skeleton.hpp"
#include "milters/spam/regex/repeated_group.hpp"
#include "milters/spam/regex/required_literals.hpp"

namespace mw::spam {

struct PatternScratch::Impl {
    HyperscanScratch hyperscan;
    MatchScratch match;
    std::vector<uint64_t> candidates;   // one bit per entry of the set being scanned
    LiteralCounts counts;               // per entry, for the counted (repeated) ones
};

PatternScratch::PatternScratch() : impl_(std::make_unique<Impl>()) {}
PatternScratch::~PatternScratch() = default;
PatternScratch::PatternScratch(PatternScratch&&) noexcept = default;
PatternScratch& PatternScratch::operator=(PatternScratch&&) noexcept = default;

// An entry whose literals must occur several times (repeated_literals), with that count.
struct CountedEntry {
    std::size_t index = 0;
    unsigned occurrences = 0;
};

// A literal entry that must also match an exact-mode Hyperscan database before PCRE2 runs: a
// repeated group's pair pattern (repeated_group.hpp), or a long pattern's loosened whole.
struct ExactFilter {
    std::size_t index = 0;
    HyperscanDatabase database;
};

struct PatternSet::Impl {
    std::vector<uint32_t> ids;        // ascending; ids[i] is the caller's id of regexes[i]
    std::vector<PcreRegex> regexes;
    std::vector<PatternService> service;   // per entry
    std::vector<uint64_t> fallback;   // bit i: regexes[i] is tried on every scan
    std::vector<PatternProblem> problems;
    HyperscanDatabase literals;       // required literals -> entry index
    HyperscanDatabase prefilter;      // entries without literals -> entry index
    // Fallbacks with a plain-text skeleton: on a plain text (is_plain_text) they are tried only
    // when `plain` reports them, or never when theirs can match no plain text. Skeletons are
    // compiled in prefilter mode; those it refuses (too long, too slow) in exact mode.
    HyperscanDatabase plain;
    HyperscanDatabase plain_exact;
    std::vector<uint64_t> plain_fallback;   // the fallback bits left on a plain text
    std::vector<CountedEntry> counted;
    std::vector<ExactFilter> filters;
    PatternSetStats stats;

    void refine_literal_candidates(std::string_view text, PatternScratch::Impl& s) const;
};

namespace {

constexpr std::size_t kBitsPerWord = 64;
// Repeat bounds over 1 are loosened for Hyperscan ({0,3} -> *, see prefilter_pattern_for): a
// superset, and bounded repeats are what makes Hyperscan's compile of SA patterns slow.
constexpr unsigned kMaxPrefilterRepeat = 1;
// Patterns that get a whole-pattern exact filter: long ones (PCRE2 is slow to refute them), up
// to where Hyperscan's exact compile gets slow (__FILL_THIS_FORM_PARTIAL, 2.9 KB: 1.9 s).
constexpr std::size_t kMinExactFilterPattern = 512;
constexpr std::size_t kMaxExactFilterPattern = 2048;

std::size_t words_for(std::size_t bits) { return (bits + kBitsPerWord - 1) / kBitsPerWord; }

void set_bit(std::vector<uint64_t>& bits, std::size_t i) {
    bits[i / kBitsPerWord] |= uint64_t{1} << (i % kBitsPerWord);
}

void clear_bit(std::vector<uint64_t>& bits, std::size_t i) {
    bits[i / kBitsPerWord] &= ~(uint64_t{1} << (i % kBitsPerWord));
}

bool test_bit(const std::vector<uint64_t>& bits, std::size_t i) {
    return (bits[i / kBitsPerWord] >> (i % kBitsPerWord)) & 1U;
}

// Compiles every entry with PCRE2, in ascending id order; failures become rejected problems.
// `specs` receives the accepted entries' specs, in the same order as set.regexes.
void compile_entries(std::vector<PatternSetEntry>& entries, PatternSet::Impl& set,
                     std::vector<RegexSpec>& specs) {
    std::stable_sort(entries.begin(), entries.end(),
                     [](const auto& a, const auto& b) { return a.id < b.id; });
    for (auto& entry : entries) {
        if (!set.ids.empty() && set.ids.back() == entry.id) {
            set.problems.push_back({entry.id, true, "duplicate id"});
            continue;
        }
        auto regex = PcreRegex::compile(entry.spec);
        if (!regex) {
            set.problems.push_back({entry.id, true, regex.error().message});
            continue;
        }
        set.ids.push_back(entry.id);
        set.regexes.push_back(std::move(*regex));
        specs.push_back(std::move(entry.spec));
    }
}

void make_fallback(PatternSet::Impl& set, std::size_t i, std::string why) {
    set.service[i] = PatternService::Fallback;
    set_bit(set.fallback, i);
    set.problems.push_back({set.ids[i], false, std::move(why)});
}

// The literal database; returns the entries it does not serve.
std::vector<std::size_t> build_literals(const std::vector<RegexSpec>& specs, PatternSet::Impl& set) {
    std::vector<HyperscanLiteral> literals;
    std::vector<std::size_t> rest, served;
    for (std::size_t i = 0; i < specs.size(); ++i) {
        auto repeated = repeated_literals(specs[i]);
        auto found = repeated ? std::optional(std::move(repeated->literals)) : required_literals(specs[i]);
        if (!found) {
            rest.push_back(i);
            continue;
        }
        served.push_back(i);
        if (repeated) set.counted.push_back({i, repeated->occurrences});
        for (auto& l : found->literals) {
            literals.push_back({std::move(l), found->caseless, static_cast<unsigned>(i), repeated.has_value()});
        }
    }
    auto database = HyperscanDatabase::build_literals(literals);
    if (!database) {
        for (std::size_t i : served) make_fallback(set, i, "hyperscan: " + database.error().message);
        set.counted.clear();
        return rest;
    }
    set.literals = std::move(*database);
    for (std::size_t i : served) set.service[i] = PatternService::Literal;
    set.stats.literals = literals.size();
    set.stats.counted = set.counted.size();
    return rest;
}

// The exact filters, while the compile budget lasts: the counted entries' pair patterns, and
// the long literal entries' loosened whole patterns (their literals are common words and PCRE2
// takes ~50 cycles a byte to refute them: __FILL_THIS_FORM_FRAUD_PHISH1 leaves 12,104 corpus
// texts, its whole pattern 44). An entry Hyperscan refuses keeps its literals alone.
void build_filters(const std::vector<RegexSpec>& specs, PatternSet::Impl& set) {
    double spent = 0;
    auto add = [&](std::size_t i, RegexSpec spec) {
        if (spent > limits::kMaxRegexExactFilterBudgetMs) return false;
        spec.pattern = prefilter_pattern_for(spec.pattern, kMaxPrefilterRepeat);
        auto database = HyperscanDatabase::build_exact(spec, static_cast<unsigned>(i), spent);
        if (!database) return false;
        set.filters.push_back({i, std::move(*database)});
        return true;
    };
    std::vector<bool> counted(specs.size());
    for (const auto& c : set.counted) {
        counted[c.index] = true;
        auto pair = repeated_pair_pattern(specs[c.index]);
        if (pair && add(c.index, std::move(*pair))) ++set.stats.paired;
    }
    for (std::size_t i = 0; i < specs.size(); ++i) {
        const std::size_t size = specs[i].pattern.size();
        if (set.service[i] != PatternService::Literal || counted[i] || size < kMinExactFilterPattern ||
            size > kMaxExactFilterPattern) {
            continue;
        }
        if (add(i, specs[i])) ++set.stats.filtered;
    }
}

// The prefilter database for the entries without literals; the others are fallbacks.
void build_prefilter(const std::vector<RegexSpec>& specs, const std::vector<std::size_t>& rest,
                     PatternSet::Impl& set) {
    std::vector<RegexSpec> loose;
    std::vector<unsigned> ids;
    for (std::size_t i : rest) {
        RegexSpec spec = specs[i];
        spec.pattern = prefilter_pattern_for(spec.pattern, kMaxPrefilterRepeat);
        loose.push_back(std::move(spec));
        ids.push_back(static_cast<unsigned>(i));
        set.service[i] = PatternService::Prefilter;
    }
    std::vector<HyperscanReject> rejects;
    set.prefilter = HyperscanDatabase::build(loose, ids, rejects);
    for (const auto& reject : rejects) {
        make_fallback(set, rest[reject.index], "no required literal; hyperscan: " + reject.message);
    }
}

// The plain-text database over the fallbacks' skeletons (plain_text_skeleton.hpp).
void build_plain(const std::vector<RegexSpec>& specs, PatternSet::Impl& set) {
    set.plain_fallback = set.fallback;
    std::vector<RegexSpec> skeletons;
    std::vector<unsigned> ids;
    for (std::size_t i = 0; i < specs.size(); ++i) {
        if (set.service[i] != PatternService::Fallback) continue;
        auto skeleton = plain_text_skeleton(specs[i]);
        if (!skeleton) continue;
        if (skeleton->never) {
            clear_bit(set.plain_fallback, i);
            ++set.stats.plain;
            continue;
        }
        skeletons.push_back(std::move(skeleton->spec));
        ids.push_back(static_cast<unsigned>(i));
    }
    std::vector<HyperscanReject> rejects;
    set.plain = HyperscanDatabase::build(skeletons, ids, rejects);
    std::vector<RegexSpec> retry;
    std::vector<unsigned> retry_ids;
    for (const auto& r : rejects) {
        retry.push_back(std::move(skeletons[r.index]));
        retry_ids.push_back(ids[r.index]);
    }
    std::vector<HyperscanReject> exact_rejects;
    set.plain_exact = HyperscanDatabase::build(retry, retry_ids, exact_rejects, HyperscanMode::Exact);
    std::vector<bool> rejected(skeletons.size());
    for (const auto& r : exact_rejects) rejected[rejects[r.index].index] = true;
    for (std::size_t k = 0; k < ids.size(); ++k) {
        if (rejected[k]) continue;
        clear_bit(set.plain_fallback, ids[k]);
        ++set.stats.plain;
    }
}

void count_services(PatternSet::Impl& set) {
    for (auto s : set.service) {
        if (s == PatternService::Literal) ++set.stats.literal;
        if (s == PatternService::Prefilter) ++set.stats.prefilter;
        if (s == PatternService::Fallback) ++set.stats.fallback;
    }
}

}  // namespace

PatternSet PatternSet::build(std::vector<PatternSetEntry> entries) {
    return build(std::move(entries), PatternSetOptions{});
}

PatternSet PatternSet::build(std::vector<PatternSetEntry> entries, PatternSetOptions options) {
    auto set = std::make_unique<Impl>();
    std::vector<RegexSpec> specs;
    compile_entries(entries, *set, specs);
    set->fallback.assign(words_for(specs.size()), 0);
    set->service.assign(specs.size(), PatternService::Fallback);
    if (options.use_hyperscan && HyperscanDatabase::available()) {
        build_prefilter(specs, build_literals(specs, *set), *set);
        build_filters(specs, *set);
        build_plain(specs, *set);
    } else {
        // No database: every entry is a fallback; not listed as problems (it is not theirs).
        for (std::size_t i = 0; i < specs.size(); ++i) set_bit(set->fallback, i);
    }
    count_services(*set);
    std::stable_sort(set->problems.begin(), set->problems.end(),
                     [](const auto& a, const auto& b) { return a.id < b.id; });
    return PatternSet(std::move(set));
}

PatternSet::PatternSet(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
PatternSet::PatternSet(PatternSet&&) noexcept = default;
PatternSet& PatternSet::operator=(PatternSet&&) noexcept = default;
PatternSet::~PatternSet() = default;

void PatternSet::prepare(PatternScratch& scratch) const {
    // A failed allocation leaves the scratch unusable for this set: scan() then tries every
    // entry with PCRE2, slower but with the same result.
    (void)impl_->literals.prepare(scratch.impl().hyperscan);
    (void)impl_->prefilter.prepare(scratch.impl().hyperscan);
    (void)impl_->plain.prepare(scratch.impl().hyperscan);
    (void)impl_->plain_exact.prepare(scratch.impl().hyperscan);
    for (const auto& f : impl_->filters) (void)f.database.prepare(scratch.impl().hyperscan);
}

// A repeated group's literals must occur once per copy; an entry with an exact filter must
// match it too.
void PatternSet::Impl::refine_literal_candidates(std::string_view text, PatternScratch::Impl& s) const {
    for (const auto& c : counted) {
        if (s.counts.count[c.index] < c.occurrences) clear_bit(s.candidates, c.index);
    }
    for (const auto& f : filters) {
        if (!test_bit(s.candidates, f.index)) continue;
        clear_bit(s.candidates, f.index);   // the filter sets it again on a match
        if (!f.database.scan(text, s.hyperscan, s.candidates)) set_bit(s.candidates, f.index);
    }
}

void PatternSet::scan(std::string_view text, PatternScratch& scratch,
                      const std::function<void(uint32_t)>& on_match) const {
    auto& s = scratch.impl();
    const bool plain = impl_->stats.plain > 0 && is_plain_text(text);
    s.candidates = plain ? impl_->plain_fallback : impl_->fallback;
    LiteralCounts* counts = impl_->counted.empty() ? nullptr : &s.counts;
    if (counts) {
        counts->count.resize(impl_->regexes.size());
        counts->last_end.resize(impl_->regexes.size());
        for (const auto& c : impl_->counted) counts->count[c.index] = 0, counts->last_end[c.index] = 0;
    }
    if (!impl_->literals.scan(text, s.hyperscan, s.candidates, counts) ||
        !impl_->prefilter.scan(text, s.hyperscan, s.candidates) ||
        (plain && (!impl_->plain.scan(text, s.hyperscan, s.candidates) ||
                   !impl_->plain_exact.scan(text, s.hyperscan, s.candidates)))) {
        std::fill(s.candidates.begin(), s.candidates.end(), ~uint64_t{0});
    } else {
        impl_->refine_literal_candidates(text, s);
    }
    const std::size_t n = impl_->regexes.size();
    for (std::size_t word = 0; word < s.candidates.size(); ++word) {
        for (uint64_t bits = s.candidates[word]; bits != 0; bits &= bits - 1) {
            const std::size_t i = word * kBitsPerWord + static_cast<std::size_t>(__builtin_ctzll(bits));
            if (i >= n) break;
            if (impl_->regexes[i].search(text, s.match)) on_match(impl_->ids[i]);
        }
    }
}

const PcreRegex* PatternSet::regex(uint32_t id) const {
    const auto it = std::lower_bound(impl_->ids.begin(), impl_->ids.end(), id);
    if (it == impl_->ids.end() || *it != id) return nullptr;
    return &impl_->regexes[static_cast<std::size_t>(it - impl_->ids.begin())];
}

std::optional<PatternService> PatternSet::service(uint32_t id) const {
    const auto it = std::lower_bound(impl_->ids.begin(), impl_->ids.end(), id);
    if (it == impl_->ids.end() || *it != id) return std::nullopt;
    return impl_->service[static_cast<std::size_t>(it - impl_->ids.begin())];
}

MatchScratch& PatternSet::match_scratch(PatternScratch& scratch) const {
    return scratch.impl().match;
}

const std::vector<PatternProblem>& PatternSet::problems() const { return impl_->problems; }
std::size_t PatternSet::size() const { return impl_->regexes.size(); }
std::size_t PatternSet::prefiltered() const {
    return impl_->stats.literal + impl_->stats.prefilter;
}
PatternSetStats PatternSet::stats() const { return impl_->stats; }

}  // namespace mw::spam
