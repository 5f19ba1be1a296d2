#include "milters/spam/regex/hyperscan_database.hpp"

#include <hs.h>

#include <algorithm>
#include <climits>
#include <cstdlib>
#include <ctime>
#include <numeric>

#include <fmt/format.h>

#include "common/base/c_handle.hpp"
#include "common/base/limits.hpp"

namespace mw::spam {

using DatabaseHandle = CHandle<hs_database_t, hs_free_database>;
using ScratchHandle = CHandle<hs_scratch_t, hs_free_scratch>;
using CompileErrorHandle = CHandle<hs_compile_error_t, hs_free_compile_error>;

struct HyperscanScratch::Impl {
    ScratchHandle scratch;
};

HyperscanScratch::HyperscanScratch() : impl_(std::make_unique<Impl>()) {}
HyperscanScratch::~HyperscanScratch() = default;
HyperscanScratch::HyperscanScratch(HyperscanScratch&&) noexcept = default;
HyperscanScratch& HyperscanScratch::operator=(HyperscanScratch&&) noexcept = default;

struct HyperscanDatabase::Impl {
    std::vector<DatabaseHandle> databases;
};

namespace {

// Hyperscan's compile time grows much faster than linearly with the patterns of one database,
// even for patterns that compile in a few ms alone (stock body leftovers: 69 in one database
// 6 s, in chunks of 4 under 1 s); a chunk costs well under a µs per extra scan of a line.
constexpr std::size_t kPatternsPerDatabase = 4;
// Long patterns (tag-expanded FUZZY_* rules, __FILL_THIS_FORM_*) take Hyperscan seconds each to
// compile in prefilter mode; they run as PCRE2 fallbacks instead. Exact mode is for patterns
// already simplified (plain-text skeletons): longer ones compile in ms there.
constexpr std::size_t kMaxPrefilterPattern = 512;
constexpr std::size_t kMaxExactPattern = 8192;

std::size_t max_pattern(HyperscanMode mode) {
    return mode == HyperscanMode::Prefilter ? kMaxPrefilterPattern : kMaxExactPattern;
}

int max_compile_ms(HyperscanMode mode) {
    return mode == HyperscanMode::Prefilter ? limits::kMaxRegexPrefilterCompileMs
                                            : limits::kMaxRegexExactCompileMs;
}

struct Candidate {
    std::size_t index = 0;   // position in the caller's list
    unsigned id = 0;         // reported by the database
    std::string expression;
    unsigned flags = 0;
};

double cpu_ms() {
    timespec ts{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return static_cast<double>(ts.tv_sec) * 1e3 + static_cast<double>(ts.tv_nsec) / 1e6;
}

unsigned flags_for(const RegexSpec& spec, HyperscanMode mode) {
    unsigned flags = HS_FLAG_SINGLEMATCH;
    if (mode == HyperscanMode::Prefilter) flags |= HS_FLAG_PREFILTER;
    if (spec.caseless) flags |= HS_FLAG_CASELESS;
    if (spec.multiline) flags |= HS_FLAG_MULTILINE;
    if (spec.dotall) flags |= HS_FLAG_DOTALL;
    return flags;
}

// Hyperscan has no flag for /x but reads the inline (?x) as PCRE does.
std::string expression_for(const RegexSpec& spec) {
    return spec.extended ? "(?x)" + spec.pattern : spec.pattern;
}

// Checks one pattern alone; an empty string means Hyperscan can serve it.
std::string check_expression(const Candidate& c, HyperscanMode mode) {
    if (c.expression.find('\0') != std::string::npos) return "NUL byte in pattern";
    if (c.expression.size() > max_pattern(mode)) {
        return mode == HyperscanMode::Prefilter ? "too long for the prefilter" : "too long for Hyperscan";
    }
    hs_expr_info_t* info = nullptr;
    hs_compile_error_t* raw_error = nullptr;
    const hs_error_t rc = hs_expression_info(c.expression.c_str(), c.flags, &info, &raw_error);
    const CompileErrorHandle error(raw_error);
    if (rc != HS_SUCCESS) return error ? error->message : "rejected by Hyperscan";
    const unsigned min_width = info->min_width;
    std::free(info);  // hs_expression_info allocates with the misc allocator (malloc)
    // Without HS_FLAG_ALLOWEMPTY Hyperscan never reports an empty match: keep these exact.
    if (min_width == 0) return "can match the empty string";
    return {};
}

// hs_compile_multi; on a per-pattern error, sets `failed` to the pattern's position in `list`.
DatabaseHandle compile_list(const std::vector<Candidate>& list, int& failed, std::string& message) {
    std::vector<const char*> expressions;
    std::vector<unsigned> flags, ids;
    for (const auto& c : list) {
        expressions.push_back(c.expression.c_str());
        flags.push_back(c.flags);
        ids.push_back(c.id);
    }
    hs_database_t* raw = nullptr;
    hs_compile_error_t* raw_error = nullptr;
    const hs_error_t rc =
        hs_compile_multi(expressions.data(), flags.data(), ids.data(),
                         static_cast<unsigned>(list.size()), HS_MODE_BLOCK, nullptr, &raw, &raw_error);
    const CompileErrorHandle error(raw_error);
    DatabaseHandle database(raw);
    failed = rc == HS_SUCCESS ? -2 : (error ? error->expression : -1);
    if (error) message = error->message;
    return database;
}

// Compiles the pattern alone and adds its CPU time to `spent`; an empty string when it may join
// the database. Hyperscan's prefilter compile of some SpamAssassin patterns takes seconds:
// those (and all after the budget is spent) are left to PCRE2.
std::string check_compile_time(const Candidate& c, HyperscanMode mode, double& spent) {
    if (spent > limits::kMaxRegexPrefilterBudgetMs) return "prefilter compile budget spent";
    const double t0 = cpu_ms();
    std::vector<Candidate> alone{c};
    int failed = -2;
    std::string message;
    const DatabaseHandle database = compile_list(alone, failed, message);
    const double ms = cpu_ms() - t0;
    spent += ms;
    if (failed != -2) return message.empty() ? "rejected by Hyperscan" : message;
    if (ms > max_compile_ms(mode)) {
        return fmt::format("prefilter compile too slow ({:.0f} ms)", ms);
    }
    return {};
}

std::vector<Candidate> screen(const std::vector<RegexSpec>& specs,
                              const std::vector<unsigned>& ids, HyperscanMode mode,
                              std::vector<HyperscanReject>& rejects) {
    std::vector<Candidate> list;
    double spent = 0;
    for (std::size_t i = 0; i < specs.size(); ++i) {
        Candidate c{i, ids[i], expression_for(specs[i]), flags_for(specs[i], mode)};
        std::string why = check_expression(c, mode);
        if (why.empty()) why = check_compile_time(c, mode, spent);
        if (!why.empty()) {
            rejects.push_back({i, std::move(why)});
        } else {
            list.push_back(std::move(c));
        }
    }
    return list;
}

struct MatchContext {
    std::vector<uint64_t>& bits;
    LiteralCounts* counts;
};

int on_match(unsigned id, unsigned long long /*from*/, unsigned long long to, unsigned /*flags*/,
             void* context) {
    auto& c = *static_cast<MatchContext*>(context);
    if (id / 64 < c.bits.size()) c.bits[id / 64] |= uint64_t{1} << (id % 64);
    // Several literals of one id may end at the same offset: count distinct ends. Reports come
    // in end order, so comparing with the last one counted is enough (and never counts less).
    if (c.counts && id < c.counts->count.size() && c.counts->last_end[id] != to + 1) {
        ++c.counts->count[id];
        c.counts->last_end[id] = to + 1;
    }
    return 0;
}

}  // namespace

bool HyperscanDatabase::available() { return hs_valid_platform() == HS_SUCCESS; }

namespace {

// Compiles one chunk; a pattern that passes hs_expression_info can still fail in the full
// compile: drop the one named by the error and compile again (rare).
DatabaseHandle build_chunk(std::vector<Candidate> list, std::vector<HyperscanReject>& rejects) {
    while (!list.empty()) {
        int failed = -2;
        std::string message;
        DatabaseHandle database = compile_list(list, failed, message);
        if (failed == -2) return database;
        if (failed < 0 || static_cast<std::size_t>(failed) >= list.size()) {
            for (const auto& c : list) rejects.push_back({c.index, message});
            break;
        }
        rejects.push_back({list[failed].index, message});
        list.erase(list.begin() + failed);
    }
    return {};
}

}  // namespace

HyperscanDatabase HyperscanDatabase::build(const std::vector<RegexSpec>& specs,
                                           std::vector<HyperscanReject>& rejects) {
    std::vector<unsigned> ids(specs.size());
    std::iota(ids.begin(), ids.end(), 0U);
    return build(specs, ids, rejects);
}

HyperscanDatabase HyperscanDatabase::build(const std::vector<RegexSpec>& specs,
                                           const std::vector<unsigned>& ids,
                                           std::vector<HyperscanReject>& rejects,
                                           HyperscanMode mode) {
    HyperscanDatabase result;
    const std::vector<Candidate> list = screen(specs, ids, mode, rejects);
    for (std::size_t at = 0; at < list.size(); at += kPatternsPerDatabase) {
        const auto end = list.begin() + static_cast<std::ptrdiff_t>(
                                            std::min(list.size(), at + kPatternsPerDatabase));
        auto chunk = build_chunk({list.begin() + static_cast<std::ptrdiff_t>(at), end}, rejects);
        if (chunk) result.impl_->databases.push_back(std::move(chunk));
    }
    return result;
}

Result<HyperscanDatabase> HyperscanDatabase::build_exact(const RegexSpec& spec, unsigned id,
                                                         double& spent_ms) {
    Candidate c{0, id, expression_for(spec), flags_for(spec, HyperscanMode::Exact)};
    if (std::string why = check_expression(c, HyperscanMode::Exact); !why.empty()) {
        return fail(ErrorCode::Invalid, why);
    }
    const double t0 = cpu_ms();
    int failed = -2;
    std::string message;
    DatabaseHandle database = compile_list({c}, failed, message);
    spent_ms += cpu_ms() - t0;
    if (failed != -2 || !database) {
        return fail(ErrorCode::Invalid, message.empty() ? "rejected by Hyperscan" : message);
    }
    HyperscanDatabase result;
    result.impl_->databases.push_back(std::move(database));
    return result;
}

Result<HyperscanDatabase> HyperscanDatabase::build_literals(
    const std::vector<HyperscanLiteral>& literals) {
    HyperscanDatabase result;
    if (literals.empty()) return result;
    std::vector<const char*> expressions;
    std::vector<std::size_t> lengths;
    std::vector<unsigned> flags, ids;
    for (const auto& l : literals) {
        expressions.push_back(l.bytes.data());
        lengths.push_back(l.bytes.size());
        flags.push_back((l.counted ? 0U : HS_FLAG_SINGLEMATCH) | (l.caseless ? HS_FLAG_CASELESS : 0U));
        ids.push_back(l.id);
    }
    hs_database_t* raw = nullptr;
    hs_compile_error_t* raw_error = nullptr;
    const hs_error_t rc = hs_compile_lit_multi(
        expressions.data(), flags.data(), ids.data(), lengths.data(),
        static_cast<unsigned>(literals.size()), HS_MODE_BLOCK, nullptr, &raw, &raw_error);
    const CompileErrorHandle error(raw_error);
    DatabaseHandle database(raw);
    if (rc != HS_SUCCESS || !database) {
        return fail(ErrorCode::Invalid, error ? error->message : "hs_compile_lit_multi failed");
    }
    result.impl_->databases.push_back(std::move(database));
    return result;
}

HyperscanDatabase::HyperscanDatabase() : impl_(std::make_unique<Impl>()) {}
HyperscanDatabase::~HyperscanDatabase() = default;
HyperscanDatabase::HyperscanDatabase(HyperscanDatabase&&) noexcept = default;
HyperscanDatabase& HyperscanDatabase::operator=(HyperscanDatabase&&) noexcept = default;

bool HyperscanDatabase::empty() const { return impl_->databases.empty(); }

bool HyperscanDatabase::prepare(HyperscanScratch& scratch) const {
    bool ok = true;
    for (const auto& database : impl_->databases) {
        hs_scratch_t* raw = scratch.impl().scratch.release();
        ok = hs_alloc_scratch(database.get(), &raw) == HS_SUCCESS && ok;
        scratch.impl().scratch.reset(raw);
    }
    return ok;
}

bool HyperscanDatabase::scan(std::string_view text, HyperscanScratch& scratch,
                             std::vector<uint64_t>& candidates, LiteralCounts* counts) const {
    if (empty()) return true;
    if (text.size() > UINT_MAX || !scratch.impl().scratch) return false;
    MatchContext context{candidates, counts};
    for (const auto& database : impl_->databases) {
        const hs_error_t rc =
            hs_scan(database.get(), text.data(), static_cast<unsigned>(text.size()), 0,
                    scratch.impl().scratch.get(), on_match, &context);
        if (rc != HS_SUCCESS) return false;
    }
    return true;
}

}  // namespace mw::spam
