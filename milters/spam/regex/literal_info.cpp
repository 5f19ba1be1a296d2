#include "milters/spam/regex/literal_info.hpp"

#include <algorithm>
#include <cstdint>

#include "common/base/limits.hpp"

namespace mw::spam {
namespace {

using Strings = std::set<std::string>;

std::size_t shortest(const Strings& s) {
    std::size_t n = SIZE_MAX;
    for (const auto& x : s) n = std::min(n, x.size());
    return n;
}

// The better of two requirements: usable first, then the longest shortest member (rarer in
// text), then the fewest members.
LiteralInfo better(const LiteralInfo& a, const LiteralInfo& b, const LiteralOptions& o) {
    LiteralInfo ma = as_match(a), mb = as_match(b);
    const bool ua = usable(ma, o), ub = usable(mb, o);
    if (!ua && !ub) return LiteralInfo::any();
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

}  // namespace

// A prefix of a required string is required too: long members are cut to kMaxRegexLiteral.
LiteralInfo as_match(const LiteralInfo& x) {
    if (x.kind != LiteralInfo::Kind::Exact) return x;
    if (x.strings.empty() || x.strings.count(std::string())) return LiteralInfo::any();
    LiteralInfo m{LiteralInfo::Kind::Match, {}, false};
    for (const auto& s : x.strings) m.strings.insert(s.substr(0, limits::kMaxRegexLiteral));
    return m;
}

bool usable(const LiteralInfo& m, const LiteralOptions& o) {
    if (m.kind != LiteralInfo::Kind::Match || m.strings.empty() ||
        m.strings.size() > o.max_literals) {
        return false;
    }
    return std::all_of(m.strings.begin(), m.strings.end(),
                       [&](const std::string& s) { return s.size() >= o.min_length; });
}

LiteralInfo alternate(const std::vector<LiteralInfo>& branches, const LiteralOptions& o) {
    if (branches.size() == 1) return branches.front();
    const bool all_exact = std::all_of(branches.begin(), branches.end(), [](const auto& b) {
        return b.kind == LiteralInfo::Kind::Exact;
    });
    Strings all;
    for (const auto& b : branches) all.insert(b.strings.begin(), b.strings.end());
    if (all_exact && all.size() <= limits::kMaxRegexExactSet) return LiteralInfo::exact(all);
    LiteralInfo u{LiteralInfo::Kind::Match, {}, false};
    for (const auto& b : branches) {
        const LiteralInfo m = as_match(b);
        if (m.kind == LiteralInfo::Kind::Any) return LiteralInfo::any();
        u.strings.insert(m.strings.begin(), m.strings.end());
        if (u.strings.size() > o.max_literals) return LiteralInfo::any();
    }
    return u;
}

LiteralInfo quantify(LiteralInfo x, unsigned min, std::optional<unsigned> max) {
    if (max && *max == 0) return LiteralInfo::empty();
    x.break_after = false;
    if (min == 0) {
        // x? keeps the run exact ({"", x...}); longer optional repeats end it.
        if (max && *max == 1 && x.kind == LiteralInfo::Kind::Exact &&
            x.strings.size() < limits::kMaxRegexExactSet) {
            x.strings.insert(std::string());
            return x;
        }
        return LiteralInfo::any();
    }
    if (min == 1 && max && *max == 1) return x;
    // Any repeat holds one copy of x; what follows it is not adjacent to that copy's end.
    if (x.kind == LiteralInfo::Kind::Exact) x.break_after = true;
    return x;
}

void LiteralSequence::add(const LiteralInfo& item) {
    if (item.kind != LiteralInfo::Kind::Exact) {
        flush();
        best_ = better(best_, item, *options_);
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

LiteralInfo LiteralSequence::finish() {
    if (exact_) return LiteralInfo::exact(run_);
    flush();
    return best_;
}

void LiteralSequence::flush() {
    best_ = better(best_, LiteralInfo::exact(run_), *options_);
    run_ = {std::string()};
    exact_ = false;
}

}  // namespace mw::spam
