#include "milters/spam/regex/required_literals.hpp"

#include <string_view>

#include "milters/spam/regex/literal_info.hpp"
#include "milters/spam/regex/pattern_lexer.hpp"
#include "milters/spam/regex/perl_pattern.hpp"
#include "milters/spam/regex/repeated_group.hpp"

namespace mw::spam {
namespace {

char fold(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

bool is_digit(char c) { return pattern_is_digit(c); }
bool is_alnum(char c) { return pattern_is_alnum(c); }

// A recursive-descent reader of PCRE2 syntax that computes a LiteralInfo. Anything it does
// not know sets failed_: the caller then reports no literal at all.
class Parser : PatternLexer {
public:
    Parser(std::string_view p, bool extended, bool caseless, const LiteralOptions& o)
        : PatternLexer(p), extended_(extended), caseless_(caseless), options_(o) {}

    std::optional<LiteralInfo> run() {
        LiteralInfo info = alternation(0);
        if (failed_ || pos_ != p_.size()) return std::nullopt;
        return info;
    }

private:
    LiteralInfo fail() {
        set_failed();
        return LiteralInfo::any();
    }

    LiteralInfo literal(char c) const {
        return LiteralInfo::exact({std::string(1, caseless_ ? fold(c) : c)});
    }

    // /x: white space and # comments between items mean nothing. PCRE2 takes Unicode's
    // Pattern_White_Space, which in 8-bit mode includes NEL (0x85).
    void skip_extended() {
        while (extended_ && !at_end()) {
            const char c = p_[pos_];
            if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v' || c == '\x85') {
                ++pos_;
            } else if (c == '#') {
                while (!at_end() && p_[pos_] != '\n') ++pos_;
            } else {
                break;
            }
        }
    }

    LiteralInfo alternation(int depth) {
        std::vector<LiteralInfo> branches{sequence(depth)};
        while (!failed_ && at('|')) {
            ++pos_;
            branches.push_back(sequence(depth));
        }
        return alternate(branches, options_);
    }

    LiteralInfo sequence(int depth) {
        LiteralSequence seq(options_);
        for (;;) {
            skip_extended();
            if (failed_ || at_end() || at('|') || at(')')) break;
            if (at('*') || at('+') || at('?')) return fail();   // PCRE2: nothing to repeat
            LiteralInfo item = atom(depth);
            if (saw_reset_) {
                // \K: the reported match starts here; what came before is not part of it.
                saw_reset_ = false;
                if (depth > 0) return fail();
                seq = LiteralSequence(options_);
            }
            seq.add(quantifier(std::move(item)));
        }
        return seq.finish();
    }

    LiteralInfo atom(int depth) {
        const char c = next();
        switch (c) {
            case '(': return group(depth);
            case '[': return char_class();
            case '\\': return escape();
            case '.': return LiteralInfo::any();
            case '^':
            case '$': return LiteralInfo::empty();
            case '{': return brace_literal();
            default: return literal(c);
        }
    }

    // A '{' where no atom precedes is a literal, unless it reads as a repeat of a repeat.
    LiteralInfo brace_literal() {
        --pos_;
        unsigned min = 0;
        std::optional<unsigned> max;
        if (braces(min, max)) return fail();
        ++pos_;
        return literal('{');
    }

    LiteralInfo quantifier(LiteralInfo item) {
        skip_extended();
        unsigned min = 0;
        std::optional<unsigned> max;
        if (!quantifier_bounds(min, max)) return item;
        return quantify(std::move(item), min, max);   // lazy or possessive: same literals
    }

    // After "(": the group's kind, then its alternation.
    LiteralInfo group(int depth) {
        if (depth + 1 > limits::kMaxRegexGroupDepth || at('*')) return fail();
        bool zero_width = false;
        if (at('?')) {
            ++pos_;
            auto kind = group_kind(zero_width);
            if (kind) return *kind;
        }
        LiteralInfo inner = alternation(depth + 1);
        if (failed_ || !at(')')) return fail();
        ++pos_;
        if (zero_width) return LiteralInfo::empty();   // lookarounds: not part of the match
        inner.break_after = false;
        return inner;
    }

    // After "(?": the group's header. An info when the group is complete already ((?#...),
    // (?i), (?P=name)), nullopt when its contents follow.
    std::optional<LiteralInfo> group_kind(bool& zero_width) {
        switch (group_header()) {
            case GroupHeader::Contents: return std::nullopt;
            case GroupHeader::Lookaround: zero_width = true; return std::nullopt;
            case GroupHeader::Empty: return LiteralInfo::empty();   // flags: applied up front
            case GroupHeader::Backreference: return LiteralInfo::any();
            case GroupHeader::Unknown: break;
        }
        return fail();
    }

    LiteralInfo escape() {
        if (at_end()) return fail();
        const char e = next();
        if (std::string_view("bBAzZG").find(e) != std::string_view::npos) {
            return LiteralInfo::empty();
        }
        if (e == 'K') {
            saw_reset_ = true;
            return LiteralInfo::empty();
        }
        if (e == 'Q') return quoted();
        if (e == 'E') return LiteralInfo::empty();   // stray \E: ignored
        if (const int byte = char_escape(e); byte >= 0 || failed_) {
            return failed_ ? LiteralInfo::any() : literal(static_cast<char>(byte));
        }
        return class_escape(e);
    }

    // Escapes that stand for a set of characters or a backreference: no literal.
    LiteralInfo class_escape(char e) {
        if (std::string_view("dDwWsShHvVRXCN").find(e) != std::string_view::npos) {
            return at('{') && e == 'N' ? fail() : LiteralInfo::any();
        }
        if (e == 'p' || e == 'P' || e == 'g' || e == 'k') {
            return skip_escape_argument() ? LiteralInfo::any() : fail();
        }
        if (is_digit(e)) {   // \1..\9: backreference (or octal, still no literal)
            while (!at_end() && is_digit(p_[pos_])) ++pos_;
            return LiteralInfo::any();
        }
        if (is_alnum(e)) return fail();   // unknown to PCRE2 (\u \L ...)
        return literal(e);
    }

    // \Q...\E: literal text. A quantifier after \E repeats only its last byte: give up then.
    LiteralInfo quoted() {
        const auto end = p_.find("\\E", pos_);
        const std::size_t stop = end == std::string_view::npos ? p_.size() : end;
        std::string text(p_.substr(pos_, stop - pos_));
        pos_ = end == std::string_view::npos ? p_.size() : end + 2;
        if (caseless_) {
            for (char& c : text) c = fold(c);
        }
        if (!at_end() && std::string_view("*+?{").find(p_[pos_]) != std::string_view::npos) {
            return LiteralInfo::any();
        }
        return LiteralInfo::exact({text});
    }

    // One member of a class: its byte, or -1 for a set (\d, [:alpha:]) or after fail().
    int class_member() {
        const char c = next();
        if (c == '[' && at(':')) return posix_class_ahead() && skip_to(']') ? -1 : '[';
        if (c != '\\') return static_cast<unsigned char>(c);
        if (at_end()) return fail(), -1;
        const char e = next();
        if (e == 'b') return 0x08;
        if (e >= '1' && e <= '7') return octal_escape(static_cast<unsigned>(e - '0'), 2);
        if (const int byte = char_escape(e); byte >= 0 || failed_) return byte;
        if (e == 'p' || e == 'P') return skip_escape_argument() ? -1 : (fail(), -1);
        if (e == 'Q' || e == 'E' || (e == 'N' && at('{'))) return fail(), -1;
        if (is_alnum(e)) return -1;   // \d \w \s \h \v ... (or unknown: no literal either way)
        return static_cast<unsigned char>(e);
    }

    // After "[": the class's members; more than kMaxRegexClassExpansion of them, a negated
    // class or a set escape give no literal.
    LiteralInfo char_class() {
        const bool negated = at('^');
        if (negated) ++pos_;
        std::set<std::string> members;
        bool wide = false;
        for (bool first = true; !failed_; first = false) {
            if (at_end()) return fail();
            if (at(']') && !first) {
                ++pos_;
                break;
            }
            const int lo = class_member();
            if (lo < 0) {
                wide = true;
                continue;
            }
            int hi = lo;
            if (at('-') && pos_ + 1 < p_.size() && p_[pos_ + 1] != ']') {
                ++pos_;
                hi = class_member();
                if (hi < 0 || hi < lo) {
                    wide = true;   // [a-\d]: '-' is literal; hi < lo: PCRE2 refuses
                    continue;
                }
            }
            if (hi - lo >= static_cast<int>(limits::kMaxRegexClassExpansion)) {
                wide = true;
                continue;
            }
            for (int c = lo; c <= hi; ++c) {
                const char ch = static_cast<char>(c);
                members.insert(std::string(1, caseless_ ? fold(ch) : ch));
            }
        }
        if (failed_ || negated || wide || members.size() > limits::kMaxRegexClassExpansion) {
            return failed_ ? fail() : LiteralInfo::any();
        }
        return LiteralInfo::exact(std::move(members));
    }

    bool extended_;
    bool caseless_;
    const LiteralOptions& options_;
    bool saw_reset_ = false;
};

}  // namespace

std::optional<RepeatedLiterals> repeated_literals(const RegexSpec& spec, const LiteralOptions& options) {
    const auto group = repeated_group(spec);
    if (!group) return std::nullopt;
    RegexSpec inner = spec;
    inner.pattern = group->inner;
    auto literals = required_literals(inner, options);
    if (!literals) return std::nullopt;
    return RepeatedLiterals{std::move(*literals), group->occurrences};
}

std::optional<RequiredLiterals> required_literals(const RegexSpec& spec,
                                                  const LiteralOptions& options) {
    if (spec.pattern.size() > limits::kMaxRegexPattern) return std::nullopt;
    const std::string pattern = pcre2_pattern_for(spec.pattern);
    // An inline x (or ^, which resets /x) changes how white space reads part-way: give up.
    if (has_inline_flag(pattern, 'x') || (spec.extended && has_inline_flag(pattern, '^'))) {
        return std::nullopt;
    }
    const bool caseless = spec.caseless || has_inline_flag(pattern, 'i');
    Parser parser(pattern, spec.extended, caseless, options);
    const auto info = parser.run();
    if (!info) return std::nullopt;
    const LiteralInfo m = as_match(*info);
    if (!usable(m, options)) return std::nullopt;
    return RequiredLiterals{{m.strings.begin(), m.strings.end()}, caseless};
}

}  // namespace mw::spam
