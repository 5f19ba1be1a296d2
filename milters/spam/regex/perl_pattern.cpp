#include "milters/spam/regex/perl_pattern.hpp"

#include <algorithm>
#include <cctype>
#include <optional>

namespace mw::spam {
namespace {

bool is_blank(char c) { return c == ' ' || c == '\t'; }
bool is_digit(char c) { return std::isdigit(static_cast<unsigned char>(c)) != 0; }

std::string_view trim_blanks(std::string_view s) {
    while (!s.empty() && is_blank(s.front())) s.remove_prefix(1);
    while (!s.empty() && is_blank(s.back())) s.remove_suffix(1);
    return s;
}

bool all_digits(std::string_view s) {
    for (char c : s) {
        if (!is_digit(c)) return false;
    }
    return true;
}

// The value of a digit string, leading zeros and all (Perl and PCRE2 read {0002} as {2}),
// saturated just above any bound we compare it with.
unsigned long digits_value(std::string_view digits) {
    constexpr unsigned long kSaturated = 10'000'000;
    unsigned long v = 0;
    for (char c : digits) v = std::min(kSaturated, v * 10 + static_cast<unsigned long>(c - '0'));
    return v;
}

// `body` is what stands between `{` and `}`. Returns the PCRE2 spelling when Perl reads it as a
// quantifier ({n}, {n,}, {n,m}, {,m}, blanks allowed around numbers), else nullopt (a literal).
std::optional<std::string> quantifier_for(std::string_view body, unsigned max_bound) {
    const auto comma = body.find(',');
    const auto min = trim_blanks(body.substr(0, comma));
    if (!all_digits(min)) return std::nullopt;
    if (comma == std::string_view::npos) {
        if (min.empty()) return std::nullopt;
        if (digits_value(min) > max_bound) return "{" + std::string(min) + ",}";
        return "{" + std::string(min) + "}";
    }
    const auto max = trim_blanks(body.substr(comma + 1));
    if (!all_digits(max) || (min.empty() && max.empty())) return std::nullopt;
    if (!max.empty() && digits_value(max) > max_bound) {
        return "{" + std::string(min.empty() ? "0" : min) + ",}";
    }
    return "{" + std::string(min.empty() ? "0" : min) + "," + std::string(max) + "}";
}

// Escapes whose `{...}` is an argument, not a quantifier: \x{41} \o{101} \N{U+41} \p{L} \g{1} \k{n}.
bool takes_brace_argument(char c) {
    return c == 'x' || c == 'o' || c == 'N' || c == 'p' || c == 'P' || c == 'g' || c == 'k';
}

class Rewriter {
public:
    Rewriter(std::string_view in, unsigned max_bound) : in_(in), max_bound_(max_bound) {
        out_.reserve(in.size() + 8);
    }

    std::string run() {
        while (pos_ < in_.size()) step();
        return std::move(out_);
    }

private:
    void step() {
        const char c = in_[pos_];
        if (quoted_) return quoted_step();
        if (c == '\\') return escape();
        if (in_class_) return class_step();
        if (c == '[') return open_class();
        if (c == '{') return brace();
        copy(1);
    }

    void copy(std::size_t n) {
        n = std::min(n, in_.size() - pos_);
        out_.append(in_.substr(pos_, n));
        pos_ += n;
    }

    // Inside \Q...\E everything is literal up to \E.
    void quoted_step() {
        if (in_.substr(pos_, 2) == "\\E") quoted_ = false;
        copy(in_[pos_] == '\\' ? 2 : 1);
    }

    void escape() {
        if (pos_ + 1 >= in_.size()) return copy(1);
        const char e = in_[pos_ + 1];
        if (e == 'Q') quoted_ = true;
        copy(2);
        if (takes_brace_argument(e) && pos_ < in_.size() && in_[pos_] == '{') {
            const auto close = in_.find('}', pos_);
            copy(close == std::string_view::npos ? 1 : close - pos_ + 1);
        }
    }

    // `]` right after `[` or `[^` is a literal member, not the end of the class.
    void open_class() {
        in_class_ = true;
        copy(1);
        if (pos_ < in_.size() && in_[pos_] == '^') copy(1);
        if (pos_ < in_.size() && in_[pos_] == ']') copy(1);
    }

    void class_step() {
        const char c = in_[pos_];
        if (c == ']') in_class_ = false;
        if (c == '[' && pos_ + 1 < in_.size() && in_[pos_ + 1] == ':') {
            const auto close = in_.find(":]", pos_ + 2);
            if (close != std::string_view::npos) return copy(close + 2 - pos_);
        }
        copy(1);
    }

    void brace() {
        const auto close = in_.find('}', pos_);
        if (close == std::string_view::npos) return copy(1);
        const auto q = quantifier_for(in_.substr(pos_ + 1, close - pos_ - 1), max_bound_);
        if (!q) return copy(1);
        out_ += *q;
        pos_ = close + 1;
    }

    std::string_view in_;
    unsigned max_bound_;
    std::string out_;
    std::size_t pos_ = 0;
    bool in_class_ = false;
    bool quoted_ = false;
};

}  // namespace

// PCRE2's own bound on repeat counts is 65535: larger ones stay as written (and fail there).
std::string pcre2_pattern_for(std::string_view perl) { return Rewriter(perl, 65535).run(); }

std::string prefilter_pattern_for(std::string_view perl, unsigned max_bound) {
    return Rewriter(perl, max_bound).run();
}

}  // namespace mw::spam
