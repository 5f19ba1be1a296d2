// CaptureRegex: a fixed Perl-syntax pattern of our own (not rule input) compiled with PCRE2 and
// matched with its capture groups, for parsers that transliterate SpamAssassin's Perl code
// (Received.pm's ~100 Received-header shapes). Patterns may name "@IP@" (SA's IP_ADDRESS) and
// "@LOCALHOST@" (SA's LOCALHOST); both are expanded before compiling. Byte semantics, no UTF,
// as SA's Perl; searches are bounded by limits::kMaxRegexMatchSteps (a hit limit = no match).
// PcreRegex (milters/spam/regex) has no capture groups; this is the capturing twin for constant
// patterns. Construction throws std::logic_error on a bad pattern (a programming error, found at
// start-up). Thread-safety: immutable after construction; each thread uses its own match data.
#pragma once

#include <array>
#include <cstddef>
#include <memory>
#include <string>
#include <string_view>

namespace mw::spam {

/// Capture groups of one match; group 0 is the whole match. Unset groups are empty and !set().
class Captures {
public:
    static constexpr std::size_t kMaxGroups = 12;
    std::string_view operator[](std::size_t i) const { return i < kMaxGroups ? text_[i] : std::string_view(); }
    std::string str(std::size_t i) const { return std::string((*this)[i]); }
    bool set(std::size_t i) const { return i < kMaxGroups && set_[i]; }
    std::size_t begin(std::size_t i) const { return begin_[i]; }
    std::size_t end(std::size_t i) const { return begin_[i] + text_[i].size(); }

private:
    friend class CaptureRegex;
    std::array<std::string_view, kMaxGroups> text_{};
    std::array<std::size_t, kMaxGroups> begin_{};
    std::array<bool, kMaxGroups> set_{};
};

class CaptureRegex {
public:
    explicit CaptureRegex(std::string_view pattern, bool caseless = false);
    ~CaptureRegex();
    CaptureRegex(CaptureRegex&&) noexcept;
    CaptureRegex& operator=(CaptureRegex&&) noexcept;

    /// First match in text (Perl's m//), groups into *out when given.
    bool search(std::string_view text, Captures* out = nullptr) const { return search_from(text, 0, out); }
    /// As search(), starting at text[start] (look-behind still sees the bytes before it).
    bool search_from(std::string_view text, std::size_t start, Captures* out) const;
    /// Perl's s/re/repl/ (global: s///g) without back-references in repl; returns replacements made.
    int replace(std::string& text, std::string_view repl, bool global = false) const;

    /// SA's IP_ADDRESS (Constants.pm), as a group-free pattern fragment.
    static const std::string& ip_address_pattern();

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace mw::spam
