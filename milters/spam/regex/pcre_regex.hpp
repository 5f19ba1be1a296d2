// PcreRegex: one Perl-syntax regular expression compiled with PCRE2 (8-bit, byte semantics as
// SpamAssassin's Perl without `use utf8`), JIT-compiled when the JIT is available. search() is
// bounded by PCRE2's match and depth limits so a pathological pattern cannot run away; a search
// that hits a limit counts as no match and sets `limited`.
// Thread-safety: compiled code is immutable and shared; each thread passes its own MatchScratch.
#pragma once

#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "common/base/result.hpp"
#include "milters/spam/regex/regex_spec.hpp"

namespace mw::spam {

/// Per-thread match data and JIT stack; create one per scanning thread, reuse it.
class MatchScratch {
public:
    MatchScratch();
    ~MatchScratch();
    MatchScratch(MatchScratch&&) noexcept;
    MatchScratch& operator=(MatchScratch&&) noexcept;
    struct Impl;
    Impl& impl() { return *impl_; }
private:
    std::unique_ptr<Impl> impl_;
};

struct MatchSpan {
    std::size_t begin = 0, end = 0;
};

class PcreRegex {
public:
    /// Fails with Invalid and PCRE2's message and offset when the pattern does not compile.
    static Result<PcreRegex> compile(const RegexSpec& spec);

    PcreRegex(PcreRegex&&) noexcept;
    PcreRegex& operator=(PcreRegex&&) noexcept;
    ~PcreRegex();

    /// First match in text[start..], or nullopt. `limited` (if given) is set when a limit cut the
    /// search short.
    std::optional<MatchSpan> search(std::string_view text, MatchScratch& scratch,
                                    std::size_t start = 0, bool* limited = nullptr) const;
    /// Non-overlapping matches, at most `max` (SA's tflags multiple / maxhits).
    int count(std::string_view text, MatchScratch& scratch, int max) const;

    bool jit() const;
    struct Impl;
private:
    explicit PcreRegex(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> impl_;
};

}  // namespace mw::spam
