#include "milters/spam/regex/pattern_set.hpp"

#include <algorithm>

#include "milters/spam/regex/hyperscan_database.hpp"
#include "milters/spam/regex/perl_pattern.hpp"

namespace mw::spam {

struct PatternScratch::Impl {
    HyperscanScratch hyperscan;
    MatchScratch match;
    std::vector<uint64_t> candidates;   // one bit per entry of the set being scanned
};

PatternScratch::PatternScratch() : impl_(std::make_unique<Impl>()) {}
PatternScratch::~PatternScratch() = default;
PatternScratch::PatternScratch(PatternScratch&&) noexcept = default;
PatternScratch& PatternScratch::operator=(PatternScratch&&) noexcept = default;

struct PatternSet::Impl {
    std::vector<uint32_t> ids;        // ascending; ids[i] is the caller's id of regexes[i]
    std::vector<PcreRegex> regexes;
    std::vector<uint64_t> fallback;   // bit i: regexes[i] is tried on every scan
    std::vector<PatternProblem> problems;
    HyperscanDatabase database;
    std::size_t prefiltered = 0;
};

namespace {

constexpr std::size_t kBitsPerWord = 64;
// Larger repeat bounds are loosened for Hyperscan (see prefilter_pattern_for).
constexpr unsigned kMaxPrefilterRepeat = 32;

std::size_t words_for(std::size_t bits) { return (bits + kBitsPerWord - 1) / kBitsPerWord; }

void set_bit(std::vector<uint64_t>& bits, std::size_t i) {
    bits[i / kBitsPerWord] |= uint64_t{1} << (i % kBitsPerWord);
}

// Compiles every entry with PCRE2, in ascending id order; failures become rejected problems.
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
        RegexSpec spec = entry.spec;
        spec.pattern = prefilter_pattern_for(entry.spec.pattern, kMaxPrefilterRepeat);
        specs.push_back(std::move(spec));
    }
}

void build_database(const std::vector<RegexSpec>& specs, PatternSet::Impl& set) {
    std::vector<HyperscanReject> rejects;
    set.database = HyperscanDatabase::build(specs, rejects);
    for (const auto& reject : rejects) {
        set_bit(set.fallback, reject.index);
        set.problems.push_back({set.ids[reject.index], false, "hyperscan: " + reject.message});
    }
    set.prefiltered = specs.size() - rejects.size();
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
    if (options.use_hyperscan && HyperscanDatabase::available()) {
        build_database(specs, *set);
    } else {
        // No database: every entry is a fallback; not listed as problems (it is not theirs).
        for (std::size_t i = 0; i < specs.size(); ++i) set_bit(set->fallback, i);
    }
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
    (void)impl_->database.prepare(scratch.impl().hyperscan);
}

void PatternSet::scan(std::string_view text, PatternScratch& scratch,
                      const std::function<void(uint32_t)>& on_match) const {
    auto& s = scratch.impl();
    s.candidates = impl_->fallback;
    if (!impl_->database.scan(text, s.hyperscan, s.candidates)) {
        std::fill(s.candidates.begin(), s.candidates.end(), ~uint64_t{0});
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

MatchScratch& PatternSet::match_scratch(PatternScratch& scratch) const {
    return scratch.impl().match;
}

const std::vector<PatternProblem>& PatternSet::problems() const { return impl_->problems; }
std::size_t PatternSet::size() const { return impl_->regexes.size(); }
std::size_t PatternSet::prefiltered() const { return impl_->prefiltered; }

}  // namespace mw::spam
