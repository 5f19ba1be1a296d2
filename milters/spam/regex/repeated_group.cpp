#include "milters/spam/regex/repeated_group.hpp"

#include "common/base/limits.hpp"
#include "milters/spam/regex/pattern_lexer.hpp"
#include "milters/spam/regex/perl_pattern.hpp"
#include "milters/spam/regex/required_literals.hpp"

namespace mw::spam {
namespace {

// The index of the ']' closing the class opened at `open`, or npos. A leading ']' (after an
// optional '^') is a member; so is anything inside [:name:].
std::size_t class_end(std::string_view p, std::size_t open) {
    std::size_t j = open + 1;
    if (j < p.size() && p[j] == '^') ++j;
    if (j < p.size() && p[j] == ']') ++j;
    for (; j < p.size() && p[j] != ']'; ++j) {
        if (p[j] == '\\') {
            ++j;
        } else if (p[j] == '[' && j + 1 < p.size() && p[j + 1] == ':') {
            const auto end = p.find(":]", j + 2);
            if (end == std::string_view::npos) return std::string_view::npos;
            j = end + 1;
        }
    }
    return j < p.size() ? j : std::string_view::npos;
}

// The index of the ')' closing the group opened at `open`, or npos. Knows escapes, \Q..\E and
// classes (where parentheses are literal).
std::size_t closing_paren(std::string_view p, std::size_t open) {
    int depth = 0;
    for (std::size_t i = open; i < p.size(); ++i) {
        const char c = p[i];
        if (c == '\\' && i + 1 < p.size() && p[i + 1] == 'Q') {
            const auto end = p.find("\\E", i + 2);
            if (end == std::string_view::npos) return std::string_view::npos;
            i = end + 1;
        } else if (c == '\\') {
            ++i;
        } else if (c == '[') {
            i = class_end(p, i);
            if (i == std::string_view::npos) return i;
        } else if (c == '(' && p.compare(i, 3, "(?#") == 0) {
            const auto end = p.find(')', i);   // a comment ends at the first ')'
            if (end == std::string_view::npos) return std::string_view::npos;
            i = end;
        } else if (c == '(') {
            ++depth;
        } else if (c == ')' && --depth == 0) {
            return i;
        }
    }
    return std::string_view::npos;
}

// "{n}", "{n,}", "{n,m}", maybe lazy or possessive, and nothing else: n; else 0.
unsigned whole_repeat_min(std::string_view q) {
    if (!q.empty() && (q.back() == '?' || q.back() == '+')) q.remove_suffix(1);
    if (q.size() < 3 || q.front() != '{' || q.back() != '}') return 0;
    q = q.substr(1, q.size() - 2);
    unsigned n = 0;
    std::size_t i = 0;
    for (; i < q.size() && pattern_is_digit(q[i]) && n < 100000; ++i) n = n * 10 + static_cast<unsigned>(q[i] - '0');
    if (i == 0) return 0;
    if (i == q.size()) return n;
    if (q[i] != ',') return 0;
    for (++i; i < q.size(); ++i)
        if (!pattern_is_digit(q[i])) return 0;
    return n;
}

// Reads a pattern item by item; any construct that would make cutting between items change
// the meaning of the rest (top-level '|', option settings, backreferences) ends the reading.
class ItemReader : PatternLexer {
public:
    explicit ItemReader(std::string_view p) : PatternLexer(p) {}

    std::optional<std::vector<std::string_view>> run() {
        std::vector<std::string_view> items;
        while (!at_end()) {
            const std::size_t start = pos_;
            if (!atom() || failed_) return std::nullopt;
            unsigned min = 0;
            std::optional<unsigned> max;
            (void)quantifier_bounds(min, max);
            if (failed_) return std::nullopt;
            items.push_back(p_.substr(start, pos_ - start));
        }
        return items;
    }

private:
    bool atom() {
        switch (next()) {
            case '|':
            case ')': return false;
            case '(': return group();
            case '[': return span_to(class_end(p_, pos_ - 1));
            case '\\': return escape();
            default: return true;   // a literal byte, '.', '^', '$'
        }
    }

    bool span_to(std::size_t last) {
        if (last == std::string_view::npos) return false;
        pos_ = last + 1;
        return true;
    }

    bool group() {
        const std::size_t open = pos_ - 1;
        if (at('?')) {
            ++pos_;
            const bool comment = at('#');
            const GroupHeader header = group_header();
            if (header == GroupHeader::Unknown || header == GroupHeader::Backreference) return false;
            if (header == GroupHeader::Empty) return comment;   // (?i) changes what follows
        }
        return span_to(closing_paren(p_, open));
    }

    bool escape() {
        if (at_end()) return false;
        const char e = next();
        if (e == 'Q' || e == 'g' || e == 'k' || (e >= '1' && e <= '9')) return false;
        if (e == 'p' || e == 'P' || e == 'o') return skip_escape_argument();
        (void)char_escape(e);   // consumes \x.. \0.. \c. arguments; others are one letter
        return true;
    }
};

std::string join(const std::vector<std::string_view>& items, std::size_t from, std::size_t to) {
    std::string out;
    for (std::size_t i = from; i < to; ++i) out += items[i];
    return out;
}

}  // namespace

std::optional<RepeatedGroup> repeated_group(const RegexSpec& spec) {
    if (spec.pattern.size() > limits::kMaxRegexPattern || spec.extended) return std::nullopt;
    const std::string pattern = pcre2_pattern_for(spec.pattern);
    if (pattern.size() < 4 || pattern[0] != '(') return std::nullopt;
    const bool plain = pattern.compare(0, 3, "(?:") == 0;
    if (!plain && pattern[1] == '?') return std::nullopt;   // lookarounds, flags, names...
    const std::size_t close = closing_paren(pattern, 0);
    if (close == std::string::npos) return std::nullopt;
    const unsigned n = whole_repeat_min(std::string_view(pattern).substr(close + 1));
    if (n < 2) return std::nullopt;
    const std::size_t start = plain ? 3 : 1;
    return RepeatedGroup{pattern.substr(start, close - start), n};
}

std::optional<std::vector<std::string_view>> top_level_items(std::string_view pattern) {
    if (pattern.size() > limits::kMaxRegexPattern) return std::nullopt;
    return ItemReader(pattern).run();
}

std::optional<RegexSpec> repeated_pair_pattern(const RegexSpec& spec) {
    const auto group = repeated_group(spec);
    if (!group) return std::nullopt;
    const auto items = top_level_items(group->inner);
    if (!items) return std::nullopt;
    RegexSpec item = spec;
    std::optional<std::size_t> first, last;
    for (std::size_t i = 0; i < items->size(); ++i) {
        item.pattern = (*items)[i];
        if (!required_literals(item)) continue;
        if (!first) first = i;
        last = i;
    }
    if (!first) return std::nullopt;
    RegexSpec pair = spec;
    pair.pattern = join(*items, *first, items->size()) + join(*items, 0, *last + 1);
    return pair;
}

}  // namespace mw::spam
