// PatternLexer: the reading position in a PCRE2 pattern and the lexical pieces every reader of
// our patterns needs alike (one-byte escapes, repeat braces, escape arguments, POSIX classes,
// inline option letters). Shared by required_literals() and plain_text_skeleton(), which each
// build their own result on top as a subclass. A read error sets failed_ and moves to the end,
// so callers unwind without a result. Pure; not thread-safe (one lexer per reading).
#pragma once

#include <cstddef>
#include <optional>
#include <string_view>

namespace mw::spam {

inline bool pattern_is_digit(char c) { return c >= '0' && c <= '9'; }
inline bool pattern_is_alnum(char c) {
    return pattern_is_digit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}
/// PCRE2 10.42's option letters in (?...) groups.
bool is_pattern_flag(char c);
/// True when an inline option group ((?i) (?-i) (?^x: ...)) anywhere in `pattern` holds `flag`.
/// Over-reports (an escaped "\(?i)" counts too), which only makes callers more conservative.
bool has_inline_flag(std::string_view pattern, char flag);

/// What a group's header after "(?" was (PatternLexer::group_header()).
enum class GroupHeader {
    Contents,        // (?: (?| (?> (?<name> (?'name' (?P<name> (?flags: -- the contents follow
    Lookaround,      // (?= (?! (?<= (?<! -- the contents follow
    Empty,           // (?#comment) (?flags): the whole group was read
    Backreference,   // (?P=name): the whole group was read
    Unknown,         // recursion, conditions, callouts, or malformed: failed() is set
};

class PatternLexer {
protected:
    explicit PatternLexer(std::string_view pattern) : p_(pattern) {}

    bool at_end() const { return pos_ >= p_.size(); }
    bool at(char c) const { return pos_ < p_.size() && p_[pos_] == c; }
    char next() { return p_[pos_++]; }   // caller checked !at_end()
    void set_failed() {
        failed_ = true;
        pos_ = p_.size();
    }

    /// Skips past the next `close`; false when it does not occur.
    bool skip_to(char close);
    /// {n} {n,} {n,m} at the position (leading zeros allowed, as PCRE2 reads them); false, with
    /// nothing consumed, for anything PCRE2 10.42 reads as a literal '{'. `max` stays nullopt
    /// for {n,}.
    bool braces(unsigned& min, std::optional<unsigned>& max);
    /// After a backslash and the letter `e`: the byte of a one-byte escape (\t \n \r \f \e \a
    /// \xHH \x{HH} \0oo \cX), -1 when `e` is none of those or after failure.
    int char_escape(char e);
    /// After "\" and a first octal digit worth `value`: up to `more` further octal digits.
    int octal_escape(unsigned value, int more);
    /// Skips the argument of \p \P \g \k: {..}, <..>, '..', or a short name or number.
    bool skip_escape_argument();
    /// A quantifier at the position (* + ? {n,m}, with a lazy or possessive suffix): true and
    /// its bounds when one was read, false with nothing consumed otherwise.
    bool quantifier_bounds(unsigned& min, std::optional<unsigned>& max);
    /// After "(?": reads the group's header.
    GroupHeader group_header();
    /// In a class, after "[" at ":": true when PCRE2 reads a POSIX class here, as its
    /// check_posix_syntax does: ":]" comes before any "]" (or "[:").
    bool posix_class_ahead() const;

    std::string_view p_;
    std::size_t pos_ = 0;
    bool failed_ = false;

private:
    int hex_escape();
    int control_escape();
};

}  // namespace mw::spam
