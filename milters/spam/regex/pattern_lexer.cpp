#include "milters/spam/regex/pattern_lexer.hpp"

namespace mw::spam {
namespace {

constexpr unsigned kMaxRepeat = 65535;   // PCRE2's largest repeat count

int hex_value(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

// PCRE2 reads any number of leading zeros ({0002} is {2}); values over its bound fail there.
bool repeat_number(std::string_view s, unsigned& out) {
    if (s.empty()) return false;
    out = 0;
    for (char c : s) {
        if (!pattern_is_digit(c)) return false;
        out = out * 10 + static_cast<unsigned>(c - '0');
        if (out > kMaxRepeat) return false;
    }
    return true;
}

}  // namespace

bool is_pattern_flag(char c) { return std::string_view("imnsxJU^-").find(c) != std::string_view::npos; }

bool has_inline_flag(std::string_view p, char flag) {
    for (auto at = p.find("(?"); at != std::string_view::npos; at = p.find("(?", at + 2)) {
        std::size_t end = at + 2;
        while (end < p.size() && is_pattern_flag(p[end])) ++end;
        if (end >= p.size() || (p[end] != ')' && p[end] != ':')) continue;
        if (p.substr(at + 2, end - at - 2).find(flag) != std::string_view::npos) return true;
    }
    return false;
}

bool PatternLexer::skip_to(char close) {
    const auto end = p_.find(close, pos_);
    if (end == std::string_view::npos) return false;
    pos_ = end + 1;
    return true;
}

bool PatternLexer::braces(unsigned& min, std::optional<unsigned>& max) {
    const auto close = p_.find('}', pos_);
    if (close == std::string_view::npos) return false;
    const std::string_view body = p_.substr(pos_ + 1, close - pos_ - 1);
    const auto comma = body.find(',');
    if (!repeat_number(body.substr(0, comma), min)) return false;
    unsigned m = min;
    if (comma != std::string_view::npos) {
        const std::string_view rest = body.substr(comma + 1);
        if (!rest.empty() && (!repeat_number(rest, m) || m < min)) return false;
        if (rest.empty()) {
            pos_ = close + 1;
            return true;
        }
    }
    max = m;
    pos_ = close + 1;
    return true;
}

// \xHH \x{HH}: the byte, or -1 after failure (PCRE2 refuses > 0xff without UTF).
int PatternLexer::hex_escape() {
    unsigned value = 0;
    if (at('{')) {
        const auto close = p_.find('}', pos_);
        if (close == std::string_view::npos || close == pos_ + 1 || close - pos_ > 9) return set_failed(), -1;
        for (std::size_t i = pos_ + 1; i < close; ++i) {
            const int h = hex_value(p_[i]);
            if (h < 0) return set_failed(), -1;
            value = value * 16 + static_cast<unsigned>(h);
        }
        pos_ = close + 1;
        return value <= 0xff ? static_cast<int>(value) : (set_failed(), -1);
    }
    for (int i = 0; i < 2 && !at_end() && hex_value(p_[pos_]) >= 0; ++i) {
        value = value * 16 + static_cast<unsigned>(hex_value(next()));
    }
    return static_cast<int>(value);
}

int PatternLexer::octal_escape(unsigned value, int more) {
    for (int i = 0; i < more && !at_end() && p_[pos_] >= '0' && p_[pos_] <= '7'; ++i) {
        value = value * 8 + static_cast<unsigned>(next() - '0');
    }
    return value <= 0xff ? static_cast<int>(value) : (set_failed(), -1);
}

// \cX: PCRE2 upper-cases a letter, then flips bit 6.
int PatternLexer::control_escape() {
    if (at_end()) return set_failed(), -1;
    char x = next();
    if (x >= 'a' && x <= 'z') x = static_cast<char>(x - 'a' + 'A');
    return (static_cast<unsigned char>(x) ^ 0x40) & 0xff;
}

int PatternLexer::char_escape(char e) {
    switch (e) {
        case 't': return '\t';
        case 'n': return '\n';
        case 'r': return '\r';
        case 'f': return '\f';
        case 'e': return 0x1b;
        case 'a': return 0x07;
        case 'x': return hex_escape();
        case '0': return octal_escape(0, 2);
        case 'c': return control_escape();
        default: return -1;
    }
}

bool PatternLexer::skip_escape_argument() {
    if (at('{')) return skip_to('}');
    if (at('<')) return skip_to('>');
    if (at('\'')) {
        ++pos_;
        return skip_to('\'');
    }
    if (at('-') || at('+')) ++pos_;
    while (!at_end() && pattern_is_alnum(p_[pos_])) ++pos_;
    return true;
}

bool PatternLexer::quantifier_bounds(unsigned& min, std::optional<unsigned>& max) {
    if (at_end()) return false;
    min = 0;
    max.reset();
    const char c = p_[pos_];
    if (c == '*') {
        ++pos_;
    } else if (c == '+') {
        ++pos_;
        min = 1;
    } else if (c == '?') {
        ++pos_;
        max = 1;
    } else if (c != '{' || !braces(min, max)) {
        return false;
    }
    if (at('?') || at('+')) ++pos_;   // lazy or possessive: same bounds
    return true;
}

GroupHeader PatternLexer::group_header() {
    auto unknown = [this] {
        set_failed();
        return GroupHeader::Unknown;
    };
    if (at_end()) return unknown();
    const char c = next();
    if (c == '#') return skip_to(')') ? GroupHeader::Empty : unknown();
    if (c == ':' || c == '|' || c == '>') return GroupHeader::Contents;
    if (c == '=' || c == '!') return GroupHeader::Lookaround;
    if (c == '<' && (at('=') || at('!'))) {
        ++pos_;
        return GroupHeader::Lookaround;
    }
    if (c == '<' || (c == 'P' && at('<'))) return skip_to('>') ? GroupHeader::Contents : unknown();
    if (c == '\'') return skip_to('\'') ? GroupHeader::Contents : unknown();
    if (c == 'P' && at('=')) return skip_to(')') ? GroupHeader::Backreference : unknown();
    if (!is_pattern_flag(c)) return unknown();
    while (!at_end() && is_pattern_flag(p_[pos_])) ++pos_;
    if (at(')') || at(':')) return next() == ')' ? GroupHeader::Empty : GroupHeader::Contents;
    return unknown();
}

bool PatternLexer::posix_class_ahead() const {
    for (std::size_t j = pos_ + 1; j + 1 < p_.size(); ++j) {
        if (p_[j] == '\\' && (p_[j + 1] == ']' || p_[j + 1] == '\\')) {
            ++j;
        } else if ((p_[j] == '[' && p_[j + 1] == ':') || p_[j] == ']') {
            return false;
        } else if (p_[j] == ':' && p_[j + 1] == ']') {
            return true;
        }
    }
    return false;
}

}  // namespace mw::spam
