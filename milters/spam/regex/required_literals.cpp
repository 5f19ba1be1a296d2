#include "milters/spam/regex/required_literals.hpp"

#include <algorithm>
#include <optional>
#include <set>
#include <string_view>
#include <utility>

#include "milters/spam/regex/perl_pattern.hpp"

namespace mw::spam {
namespace {

using Strings = std::set<std::string>;

// What one piece of a regex says about the text its matches cover.
struct Info {
    enum class Kind { Exact, Match, Any };
    Kind kind = Kind::Any;
    Strings strings;           // Exact: every match IS one of these; Match: CONTAINS one
    bool break_after = false;  // x+, x{2,}: x once, then the literal run must end
};

Info any() { return {}; }
Info exact(Strings s) { return {Info::Kind::Exact, std::move(s), false}; }
Info empty_exact() { return exact({std::string()}); }

char fold(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

// Every member of an exact set becomes a required string; "" (empty match) means no requirement.
// A prefix of a required string is required too: long members are cut to kMaxRegexLiteral.
Info as_match(const Info& x) {
    if (x.kind != Info::Kind::Exact) return x;
    if (x.strings.count(std::string())) return any();
    Info m{Info::Kind::Match, {}, false};
    for (const auto& s : x.strings) m.strings.insert(s.substr(0, limits::kMaxRegexLiteral));
    return m;
}

bool usable(const Info& m, const LiteralOptions& o) {
    if (m.kind != Info::Kind::Match || m.strings.empty() || m.strings.size() > o.max_literals) {
        return false;
    }
    return std::all_of(m.strings.begin(), m.strings.end(),
                       [&](const std::string& s) { return s.size() >= o.min_length; });
}

std::size_t shortest(const Strings& s) {
    std::size_t n = SIZE_MAX;
    for (const auto& x : s) n = std::min(n, x.size());
    return n;
}

// The better of two requirements: usable first, then the longest shortest member (rarer in
// text), then the fewest members.
Info better(const Info& a, const Info& b, const LiteralOptions& o) {
    Info ma = as_match(a), mb = as_match(b);
    const bool ua = usable(ma, o), ub = usable(mb, o);
    if (!ua && !ub) return any();
    if (!ub) return ma;
    if (!ua) return mb;
    const std::size_t la = shortest(ma.strings), lb = shortest(mb.strings);
    if (la != lb) return la > lb ? ma : mb;
    return ma.strings.size() <= mb.strings.size() ? ma : mb;
}

// Cross product of two exact sets, or nullopt when it would grow past the bounds.
std::optional<Strings> cross(const Strings& a, const Strings& b) {
    if (a.size() * b.size() > limits::kMaxRegexExactSet) return std::nullopt;
    Strings out;
    for (const auto& x : a) {
        for (const auto& y : b) {
            if (x.size() + y.size() > limits::kMaxRegexExactLength) return std::nullopt;
            out.insert(x + y);
        }
    }
    return out;
}

// A concatenation folded left to right: `run` is the exact set of the current literal run,
// `best` the best requirement seen before it.
class Sequence {
public:
    explicit Sequence(const LiteralOptions& o) : options_(o) {}

    void add(const Info& item) {
        if (item.kind != Info::Kind::Exact) {
            flush();
            best_ = better(best_, item, options_);
            return;
        }
        if (auto c = cross(run_, item.strings)) {
            run_ = std::move(*c);
        } else {
            flush();
            run_ = item.strings;
        }
        if (item.break_after) flush();
    }

    Info finish() {
        if (exact_) return exact(run_);
        flush();
        return best_;
    }

private:
    void flush() {
        best_ = better(best_, exact(run_), options_);
        run_ = {std::string()};
        exact_ = false;
    }

    const LiteralOptions& options_;
    Strings run_{std::string()};
    Info best_;
    bool exact_ = true;
};

Info alternate(const std::vector<Info>& branches, const LiteralOptions& o) {
    if (branches.size() == 1) return branches.front();
    Strings all;
    const bool all_exact = std::all_of(branches.begin(), branches.end(),
                                       [](const Info& b) { return b.kind == Info::Kind::Exact; });
    for (const auto& b : branches) all.insert(b.strings.begin(), b.strings.end());
    if (all_exact && all.size() <= limits::kMaxRegexExactSet) return exact(std::move(all));
    Info u{Info::Kind::Match, {}, false};
    for (const auto& b : branches) {
        const Info m = as_match(b);
        if (m.kind == Info::Kind::Any) return any();
        u.strings.insert(m.strings.begin(), m.strings.end());
        if (u.strings.size() > o.max_literals) return any();
    }
    return u;
}

// x{min,max} (max nullopt: unbounded).
Info quantify(Info x, unsigned min, std::optional<unsigned> max) {
    if (max && *max == 0) return empty_exact();
    if (min == 0) {
        // x? keeps the run exact ({"", x}); longer optional repeats end it.
        if (max && *max == 1 && x.kind == Info::Kind::Exact &&
            x.strings.size() < limits::kMaxRegexExactSet) {
            x.strings.insert(std::string());
            x.break_after = false;
            return x;
        }
        return any();
    }
    if (min == 1 && max && *max == 1) return x;
    if (x.kind == Info::Kind::Exact) x.break_after = true;
    return x;
}

bool is_flag_char(char c) { return std::string_view("imnsxJU^-").find(c) != std::string_view::npos; }

// True when an inline flag group ((?i) (?-i) (?^x: ...) anywhere holds `flag`. Over-reports
// (an escaped "\(?i)" counts too), which only makes the result more conservative.
bool inline_flag(std::string_view p, char flag) {
    for (auto at = p.find("(?"); at != std::string_view::npos; at = p.find("(?", at + 2)) {
        std::size_t end = at + 2;
        while (end < p.size() && is_flag_char(p[end])) ++end;
        if (end >= p.size() || (p[end] != ')' && p[end] != ':')) continue;
        if (p.substr(at + 2, end - at - 2).find(flag) != std::string_view::npos) return true;
    }
    return false;
}

bool is_alnum(char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

int hex_value(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

}  // namespace
}  // namespace mw::spam

#include "milters/spam/regex/required_literals_parser.inc"
