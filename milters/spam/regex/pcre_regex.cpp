#define PCRE2_CODE_UNIT_WIDTH 8
#include "milters/spam/regex/pcre_regex.hpp"

#include <pcre2.h>

#include <fmt/format.h>

#include "common/base/c_handle.hpp"
#include "common/base/limits.hpp"
#include "milters/spam/regex/perl_pattern.hpp"

namespace mw::spam {

using CodeHandle = CHandle<pcre2_code, pcre2_code_free>;
using MatchDataHandle = CHandle<pcre2_match_data, pcre2_match_data_free>;
using MatchContextHandle = CHandle<pcre2_match_context, pcre2_match_context_free>;
using CompileContextHandle = CHandle<pcre2_compile_context, pcre2_compile_context_free>;
using JitStackHandle = CHandle<pcre2_jit_stack, pcre2_jit_stack_free>;

struct MatchScratch::Impl {
    // One ovector pair: only the whole match is used; PCRE2 returns 0 when groups do not fit,
    // which still means "matched" with the whole match in pair 0.
    MatchDataHandle data{pcre2_match_data_create(1, nullptr)};
    MatchContextHandle context{pcre2_match_context_create(nullptr)};
    JitStackHandle jit_stack{
        pcre2_jit_stack_create(limits::kMinRegexJitStack, limits::kMaxRegexJitStack, nullptr)};

    Impl() {
        if (!data || !context) throw std::bad_alloc();
        pcre2_set_match_limit(context.get(), limits::kMaxRegexMatchSteps);
        pcre2_set_depth_limit(context.get(), limits::kMaxRegexDepth);
        pcre2_set_heap_limit(context.get(), limits::kMaxRegexHeapKib);
        // Without its own stack the JIT uses 32 KiB of the thread's stack.
        if (jit_stack) pcre2_jit_stack_assign(context.get(), nullptr, jit_stack.get());
    }
};

MatchScratch::MatchScratch() : impl_(std::make_unique<Impl>()) {}
MatchScratch::~MatchScratch() = default;
MatchScratch::MatchScratch(MatchScratch&&) noexcept = default;
MatchScratch& MatchScratch::operator=(MatchScratch&&) noexcept = default;

struct PcreRegex::Impl {
    CodeHandle code;
    bool jit = false;
};

namespace {

uint32_t options_for(const RegexSpec& spec) {
    // Perl without `use utf8` on byte strings, qr//aa as SpamAssassin compiles: never UTF/UCP,
    // so \w \d \s \b and case folding are ASCII-only as under /aa.
    uint32_t options = PCRE2_NEVER_UTF | PCRE2_NEVER_UCP;
    if (spec.caseless) options |= PCRE2_CASELESS;
    if (spec.multiline) options |= PCRE2_MULTILINE;
    if (spec.dotall) options |= PCRE2_DOTALL;
    if (spec.extended) options |= PCRE2_EXTENDED;
    return options;
}

std::string compile_message(int code, PCRE2_SIZE offset) {
    PCRE2_UCHAR buffer[256];
    pcre2_get_error_message(code, buffer, sizeof buffer);
    return fmt::format("{} at offset {}", reinterpret_cast<const char*>(buffer), offset);
}

bool is_limit_error(int rc) {
    return rc == PCRE2_ERROR_MATCHLIMIT || rc == PCRE2_ERROR_DEPTHLIMIT ||
           rc == PCRE2_ERROR_HEAPLIMIT || rc == PCRE2_ERROR_JIT_STACKLIMIT;
}

}  // namespace

Result<PcreRegex> PcreRegex::compile(const RegexSpec& spec) {
    if (spec.pattern.size() > limits::kMaxRegexPattern) {
        return fail(ErrorCode::TooLong, fmt::format("pattern longer than {} bytes",
                                                    limits::kMaxRegexPattern));
    }
    const std::string pattern = pcre2_pattern_for(spec.pattern);
    // Perl's "." and "$" know only "\n" as a line end, whatever PCRE2 was built with.
    CompileContextHandle context{pcre2_compile_context_create(nullptr)};
    if (!context) throw std::bad_alloc();
    pcre2_set_newline(context.get(), PCRE2_NEWLINE_LF);
    int error = 0;
    PCRE2_SIZE offset = 0;
    CodeHandle code{pcre2_compile(reinterpret_cast<PCRE2_SPTR>(pattern.data()), pattern.size(),
                                  options_for(spec), &error, &offset, context.get())};
    if (!code) return fail(ErrorCode::Invalid, compile_message(error, offset));
    auto impl = std::make_unique<Impl>();
    impl->jit = pcre2_jit_compile(code.get(), PCRE2_JIT_COMPLETE) == 0;
    impl->code = std::move(code);
    return PcreRegex(std::move(impl));
}

PcreRegex::PcreRegex(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
PcreRegex::PcreRegex(PcreRegex&&) noexcept = default;
PcreRegex& PcreRegex::operator=(PcreRegex&&) noexcept = default;
PcreRegex::~PcreRegex() = default;

bool PcreRegex::jit() const { return impl_->jit; }

namespace {

// One pcre2_match call; >= 0 is a match, PCRE2_ERROR_NOMATCH none, other values are errors.
int run_match(const pcre2_code* code, std::string_view text, std::size_t start, uint32_t options,
              MatchScratch::Impl& s) {
    return pcre2_match(code, reinterpret_cast<PCRE2_SPTR>(text.data()), text.size(), start,
                       options, s.data.get(), s.context.get());
}

}  // namespace

std::optional<MatchSpan> PcreRegex::search(std::string_view text, MatchScratch& scratch,
                                           std::size_t start, bool* limited) const {
    if (limited) *limited = false;
    if (start > text.size()) return std::nullopt;
    auto& s = scratch.impl();
    const int rc = run_match(impl_->code.get(), text, start, 0, s);
    if (rc < 0) {
        if (limited && is_limit_error(rc)) *limited = true;
        return std::nullopt;
    }
    const PCRE2_SIZE* ovector = pcre2_get_ovector_pointer(s.data.get());
    // \K can put the start after the end (e.g. (?=ab\K)); report an empty span then.
    return MatchSpan{std::min(ovector[0], ovector[1]), ovector[1]};
}

int PcreRegex::count(std::string_view text, MatchScratch& scratch, int max) const {
    auto& s = scratch.impl();
    int hits = 0;
    std::size_t pos = 0;
    uint32_t options = 0;
    while (hits < max && pos <= text.size()) {
        const int rc = run_match(impl_->code.get(), text, pos, options, s);
        if (rc < 0) {
            // Perl's //g after an empty match: retry one byte further without that restriction.
            if (rc != PCRE2_ERROR_NOMATCH || options == 0) break;
            options = 0;
            ++pos;
            continue;
        }
        ++hits;
        const PCRE2_SIZE* ovector = pcre2_get_ovector_pointer(s.data.get());
        const bool empty = ovector[1] <= ovector[0];
        pos = std::max<std::size_t>(ovector[1], pos);
        options = empty ? (PCRE2_NOTEMPTY_ATSTART | PCRE2_ANCHORED) : 0;
    }
    return hits;
}

}  // namespace mw::spam
