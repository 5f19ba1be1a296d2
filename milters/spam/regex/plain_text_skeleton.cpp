#include "milters/spam/regex/plain_text_skeleton.hpp"

#include <algorithm>
#include <bitset>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "common/base/limits.hpp"
#include "milters/spam/regex/pattern_lexer.hpp"
#include "milters/spam/regex/perl_pattern.hpp"

namespace mw::spam {
namespace {

using ByteSet = std::bitset<256>;

ByteSet range(int lo, int hi) {
    ByteSet s;
    for (int c = lo; c <= hi; ++c) s.set(static_cast<std::size_t>(c));
    return s;
}

ByteSet all_bytes() { return ByteSet().set(); }

// The bytes a plain text may hold: ASCII without '&'.
ByteSet plain_bytes() { return range(0, 0x7f).reset('&'); }

// \d \w \s \h \v and their complements as PCRE2 reads them without UTF or UCP (C locale).
std::optional<ByteSet> escape_set(char e) {
    ByteSet s;
    switch (e | 0x20) {
        case 'd': s = range('0', '9'); break;
        case 'w': s = range('0', '9') | range('A', 'Z') | range('a', 'z'); s.set('_'); break;
        case 's': s = range('\t', '\r'); s.set(' '); break;
        case 'h': s.set('\t'); s.set(' '); s.set(0xa0); break;
        case 'v': s = range(0x0a, 0x0d); s.set(0x85); break;
        default: return std::nullopt;
    }
    return (e >= 'A' && e <= 'Z') ? ~s : s;
}

// [:name:] as PCRE2's C-locale tables have it; every byte for a name it does not know.
ByteSet posix_set(std::string_view name) {
    const bool negated = !name.empty() && name.front() == '^';
    if (negated) name.remove_prefix(1);
    const ByteSet digit = range('0', '9'), upper = range('A', 'Z'), lower = range('a', 'z');
    const ByteSet graph = range(0x21, 0x7e), alnum = digit | upper | lower;
    ByteSet s;
    if (name == "alpha") s = upper | lower;
    else if (name == "digit") s = digit;
    else if (name == "alnum") s = alnum;
    else if (name == "upper") s = upper;
    else if (name == "lower") s = lower;
    else if (name == "xdigit") s = digit | range('A', 'F') | range('a', 'f');
    else if (name == "space") s = range('\t', '\r').set(' ');
    else if (name == "blank") s = ByteSet().set('\t').set(' ');
    else if (name == "cntrl") s = range(0, 0x1f).set(0x7f);
    else if (name == "graph") s = graph;
    else if (name == "print") s = graph | ByteSet().set(' ');
    else if (name == "punct") s = graph & ~alnum;
    else if (name == "word") s = alnum | ByteSet().set('_');
    else return all_bytes();
    return negated ? ~s : s;
}

// The other case of every ASCII letter in the set, so that the skeleton needs no caseless flag.
ByteSet fold_both(ByteSet s) {
    for (int c = 'a'; c <= 'z'; ++c) {
        if (s.test(static_cast<std::size_t>(c)) || s.test(static_cast<std::size_t>(c - 32))) {
            s.set(static_cast<std::size_t>(c));
            s.set(static_cast<std::size_t>(c - 32));
        }
    }
    return s;
}

// A set as one atom: \xHH for a single byte, else a class of ranges.
std::string set_text(const ByteSet& s) {
    std::string out;
    int members = 0;
    for (int c = 0; c < 256; ++c) {
        if (!s.test(static_cast<std::size_t>(c))) continue;
        int end = c;
        while (end + 1 < 256 && s.test(static_cast<std::size_t>(end + 1))) ++end;
        out += fmt::format("\\x{:02x}", c);
        if (end > c) out += fmt::format("-\\x{:02x}", end);
        members += end - c + 1;
        c = end;
    }
    return members == 1 ? out : "[" + out + "]";
}

/// What one part of the pattern becomes.
struct Piece {
    std::string text;       // the superset regex of this part ("" when zero-width)
    bool empty_ok = true;   // may match the empty string
    bool single = false;    // text is one atom or one group: takes a quantifier as is
    bool dead = false;      // cannot match in a plain text

    static Piece zero_width() { return {}; }
    static Piece never() { return {"", false, false, true}; }
    static Piece anything() { return {"[\\x00-\\xff]*", true, false, false}; }   // backreferences
};

// A recursive-descent reader of PCRE2 syntax that writes the skeleton as it goes.
class SkeletonReader : PatternLexer {
public:
    SkeletonReader(std::string_view p, bool caseless) : PatternLexer(p), caseless_(caseless) {}

    std::optional<Piece> run() {
        Piece piece = alternation(0);
        if (failed_ || pos_ != p_.size()) return std::nullopt;
        return piece;
    }

private:
    Piece fail() {
        set_failed();
        return Piece::zero_width();
    }

    // Every atom goes through here: the plain bytes it may match, or dead.
    Piece bytes(ByteSet s, bool fold = true) const {
        if (fold && caseless_) s = fold_both(s);
        s &= plain_bytes();
        if (s.none()) return Piece::never();
        return {set_text(s), false, true, false};
    }

    Piece alternation(int depth) {
        std::vector<Piece> branches{sequence(depth)};
        while (!failed_ && at('|')) {
            ++pos_;
            branches.push_back(sequence(depth));
        }
        std::erase_if(branches, [](const Piece& b) { return b.dead; });
        if (branches.empty()) return Piece::never();
        if (branches.size() == 1) return std::move(branches.front());
        Piece out{"(?:", false, true, false};
        for (std::size_t i = 0; i < branches.size(); ++i) {
            out.text += (i ? "|" : "") + branches[i].text;
            out.empty_ok = out.empty_ok || branches[i].empty_ok;
        }
        out.text += ")";
        return out;
    }

    Piece sequence(int depth) {
        Piece seq;
        int parts = 0;
        bool last_single = false;
        for (;;) {
            if (failed_ || at_end() || at('|') || at(')')) break;
            if (at('*') || at('+') || at('?')) return fail();   // PCRE2: nothing to repeat
            Piece item = quantifier(atom(depth));
            if (item.dead) seq.dead = true;   // read on: the rest must still parse
            if (item.text.empty()) continue;  // zero-width: dropped
            seq.text += item.text;
            seq.empty_ok = seq.empty_ok && item.empty_ok;
            last_single = item.single;
            ++parts;
        }
        seq.single = parts == 1 && last_single;
        return seq;
    }

    Piece atom(int depth) {
        const char c = next();
        switch (c) {
            case '(': return group(depth);
            case '[': return char_class();
            case '\\': return escape();
            case '.': return bytes(all_bytes());
            case '^':
            case '$': return Piece::zero_width();
            case '{': return brace_literal();
            default: return bytes(ByteSet().set(static_cast<unsigned char>(c)));
        }
    }

    // A '{' where no atom precedes is a literal, unless it reads as a repeat of a repeat.
    Piece brace_literal() {
        unsigned min = 0;
        std::optional<unsigned> max;
        --pos_;
        if (braces(min, max)) return fail();
        ++pos_;
        return bytes(ByteSet().set('{'));
    }

    Piece quantifier(Piece item) {
        unsigned min = 0;
        std::optional<unsigned> max;
        if (!quantifier_bounds(min, max)) return item;
        return repeat(std::move(item), min, max);   // lazy or possessive: a subset of the greedy matches
    }

    static Piece repeat(Piece item, unsigned min, std::optional<unsigned> max) {
        if (max == 0u) return Piece::zero_width();   // x{0}: matches only the empty string
        if (item.dead) return min == 0 ? Piece::zero_width() : Piece::never();
        if (item.text.empty() || (min == 1 && max == 1u)) return item;
        const std::string base = item.single ? item.text : "(?:" + item.text + ")";
        const unsigned low = std::min<unsigned>(min, limits::kMaxSkeletonRepeat);
        Piece out;
        out.text = base + (max == 1u ? "?" : low == 0 ? "*" : low == 1 ? "+" : fmt::format("{{{},}}", low));
        out.empty_ok = item.empty_ok || min == 0;
        return out;
    }

    Piece group(int depth) {
        if (depth + 1 > limits::kMaxRegexGroupDepth || at('*')) return fail();   // (*VERB)
        bool zero_width = false;
        if (at('?')) {
            ++pos_;
            if (auto done = group_kind(zero_width)) return *done;
        }
        Piece inner = alternation(depth + 1);
        if (failed_ || !at(')')) return fail();
        ++pos_;
        if (zero_width) return Piece::zero_width();   // lookarounds only restrict a match
        if (inner.dead || inner.single || inner.text.empty()) return inner;
        inner.text = "(?:" + inner.text + ")";
        inner.single = true;
        return inner;
    }

    // After "(?": the group's header. A piece when the group is complete already ((?#...),
    // (?i), (?P=name)), nullopt when its contents follow.
    std::optional<Piece> group_kind(bool& zero_width) {
        switch (group_header()) {
            case GroupHeader::Contents: return std::nullopt;
            case GroupHeader::Lookaround: zero_width = true; return std::nullopt;
            case GroupHeader::Empty: return Piece::zero_width();   // flags: folded in up front
            case GroupHeader::Backreference: return Piece::anything();
            case GroupHeader::Unknown: break;
        }
        return fail();
    }

    Piece escape() {
        if (at_end()) return fail();
        const char e = next();
        if (std::string_view("bBAzZG").find(e) != std::string_view::npos) return Piece::zero_width();
        if (std::string_view("KRXCQE").find(e) != std::string_view::npos) return fail();
        if (const int byte = char_escape(e); byte >= 0 || failed_) {
            return failed_ ? fail() : bytes(ByteSet().set(static_cast<std::size_t>(byte)));
        }
        if (auto s = escape_set(e)) return bytes(*s);
        if (e == 'N') return at('{') ? fail() : bytes(all_bytes());
        if (e == 'p' || e == 'P') return skip_escape_argument() ? bytes(all_bytes()) : fail();
        if (e == 'g' || e == 'k') return skip_escape_argument() ? Piece::anything() : fail();
        if (pattern_is_digit(e)) {   // backreference (or an octal byte: "anything" covers it)
            while (!at_end() && pattern_is_digit(p_[pos_])) ++pos_;
            return Piece::anything();
        }
        if (pattern_is_alnum(e)) return fail();   // unknown to PCRE2 (\u \L ...)
        return bytes(ByteSet().set(static_cast<unsigned char>(e)));
    }

    // One member of a class into `set`: returns the byte, or -1 for a set (\d, [:alpha:]).
    // `exact` turns false for a set known only roughly (\p{..}): `set` then holds every byte.
    int class_member(ByteSet& set, bool& exact) {
        const char c = next();
        if (c == '[' && at(':')) {
            if (!posix_class_ahead()) return '[';
            const std::size_t start = pos_ + 1;
            if (!skip_to(']')) return set_failed(), -1;
            set = posix_set(p_.substr(start, pos_ - start - 2));
            exact = set != all_bytes();
            return -1;
        }
        if (c != '\\') return static_cast<unsigned char>(c);
        if (at_end()) return set_failed(), -1;
        const char e = next();
        if (e == 'b') return 0x08;
        if (e >= '1' && e <= '7') return octal_escape(static_cast<unsigned>(e - '0'), 2);
        if (const int byte = char_escape(e); byte >= 0 || failed_) return byte;
        if (auto s = escape_set(e)) {
            set = *s;
            return -1;
        }
        if (e == 'Q' || e == 'E' || (e == 'N' && at('{'))) return set_failed(), -1;
        if ((e == 'p' || e == 'P') && !skip_escape_argument()) return set_failed(), -1;
        if (pattern_is_alnum(e)) {
            exact = false;
            set = all_bytes();
            return -1;
        }
        return static_cast<unsigned char>(e);
    }

    Piece char_class() {
        const bool negated = at('^');
        if (negated) ++pos_;
        ByteSet members;
        // A member known only roughly counts as every byte, or in a negated class as none:
        // either way the class matches a superset.
        auto add = [&](const ByteSet& set, bool exact) {
            if (exact || !negated) members |= set;
        };
        for (bool first = true; !failed_; first = false) {
            if (at_end()) return fail();
            if (at(']') && !first) {
                ++pos_;
                break;
            }
            ByteSet set;
            bool exact = true;
            const int lo = class_member(set, exact);
            if (lo < 0) {
                add(set, exact);
                continue;
            }
            members.set(static_cast<std::size_t>(lo));
            if (!at('-') || pos_ + 1 >= p_.size() || p_[pos_ + 1] == ']') continue;
            ++pos_;
            ByteSet hi_set;
            bool hi_exact = true;
            const int hi = class_member(hi_set, hi_exact);
            if (hi < 0) {
                add(hi_set, hi_exact);   // [a-\d]: '-' is a literal member
                members.set('-');
            } else {
                members |= range(std::min(lo, hi), std::max(lo, hi));
            }
        }
        if (failed_) return fail();
        // Caseless folding happens before negation in PCRE2: [^a] under /i excludes A too.
        if (caseless_) members = fold_both(members);
        return bytes(negated ? ~members : members, false);
    }

    bool caseless_;
};

}  // namespace

bool is_plain_text(std::string_view text) {
    for (const char c : text)
        if ((static_cast<unsigned char>(c) & 0x80) != 0 || c == '&') return false;
    return true;
}

std::optional<PlainTextSkeleton> plain_text_skeleton(const RegexSpec& spec) {
    if (spec.pattern.size() > limits::kMaxRegexPattern || spec.extended) return std::nullopt;
    const std::string pattern = pcre2_pattern_for(spec.pattern);
    if (has_inline_flag(pattern, 'x')) return std::nullopt;
    const bool caseless = spec.caseless || has_inline_flag(pattern, 'i');
    auto piece = SkeletonReader(pattern, caseless).run();
    if (!piece) return std::nullopt;
    PlainTextSkeleton out;
    if (piece->dead) {
        out.never = true;
        return out;
    }
    if (piece->empty_ok || piece->text.size() > limits::kMaxRegexPattern) return std::nullopt;
    out.spec.pattern = std::move(piece->text);
    return out;
}

}  // namespace mw::spam
