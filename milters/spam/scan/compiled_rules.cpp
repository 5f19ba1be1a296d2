#include "milters/spam/scan/compiled_rules.hpp"

#include <fmt/format.h>

#include <map>

#include "milters/spam/scan/header_text.hpp"

namespace mw::spam {

namespace {

constexpr RuleType kSetTypes[] = {RuleType::Body, RuleType::Rawbody, RuleType::Uri, RuleType::Full};
// A header group gets its own PatternSet from this many plain regex rules on: below it, the
// set's Hyperscan scan costs more than the PCRE2 searches it spares.
constexpr std::size_t kMinHeaderSetRules = 4;

int set_index(RuleType t) {
    for (int i = 0; i < 4; ++i)
        if (kSetTypes[i] == t) return i;
    return -1;
}

/// The key under which header rules share one computed text.
std::string target_key(const HeaderTarget& t) {
    std::string key = fmt::format("{}:", static_cast<int>(t.kind));
    for (char c : t.name) key += static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
    for (auto m : t.modifiers) key += fmt::format(":{}", static_cast<int>(m));
    return key;
}

}  // namespace

CompiledRules CompiledRules::compile(RuleSet set, const EvalRegistry& evals, CompileOptions options) {
    CompiledRules c;
    c.set_ = std::move(set);
    c.status_.resize(c.set_.rules.size());
    c.evals_.resize(c.set_.rules.size(), nullptr);
    c.metas_.resize(c.set_.rules.size());
    c.classify(evals, options);
    c.compile_patterns();
    c.compile_headers();
    c.compile_metas();
    c.freemail_ = FreemailDomains(c.set_.freemail_domains);
    return c;
}

void CompiledRules::prepare(PatternScratch& scratch) const {
    for (const auto& s : sets_) s.prepare(scratch);
    for (const auto* groups : {&header_groups_, &mimeheader_groups_})
        for (const auto& g : *groups)
            if (g.set) g.set->prepare(scratch);
}

void CompiledRules::mark(uint32_t id, RuleState s, std::string why) {
    if (status_[id].state != RuleState::Runnable) return;   // the first reason stays
    status_[id].state = s;
    status_[id].why = std::move(why);
}

void CompiledRules::classify(const EvalRegistry& evals, const CompileOptions& o) {
    for (uint32_t id = 0; id < set_.rules.size(); ++id) {
        const Rule& r = set_.rules[id];
        RuleStatus& st = status_[id];
        st.counted = r.name.rfind("__", 0) != 0;
        st.score = r.scores[static_cast<std::size_t>(o.score_set) & 3];
        const EvalEntry* eval = r.eval ? evals.find(r.eval->function) : nullptr;
        // Off first: SpamAssassin does not run these either (a meta sees 0), so that we cannot
        // run them changes nothing.
        if (r.flags.net && !o.network_tests && !(eval && eval->answers_net_rule))
            mark(id, RuleState::Off, "network test");
        if (r.flags.learn && (o.score_set & 2) == 0) mark(id, RuleState::Off, "Bayes test");
        if (st.counted && st.score == 0) mark(id, RuleState::Off, "score 0");
        if (r.eval && st.state == RuleState::Runnable) {
            if (!eval) {
                mark(id, RuleState::Unsupported, "eval:" + r.eval->function + " not implemented");
            } else if (auto why = eval->check_args(r.eval->args); !why.empty()) {
                mark(id, RuleState::Unsupported, "eval:" + r.eval->function + ": " + why);
            } else {
                evals_[id] = eval;
                eval_rules_.push_back(id);
            }
        }
        if ((r.type == RuleType::Header || r.type == RuleType::Mimeheader) && !r.eval &&
            !header_target_supported(r.target))
            mark(id, RuleState::Unsupported, "header " + r.target.name + " not computed");
        if (r.type == RuleType::Meta) continue;
        if (!r.eval && !r.regex && !r.exists_test) mark(id, RuleState::Unsupported, "no pattern");
    }
    // eval_rules_ keeps only what will run.
    std::erase_if(eval_rules_, [&](uint32_t id) { return status_[id].state != RuleState::Runnable; });
}

void CompiledRules::compile_patterns() {
    std::vector<std::vector<PatternSetEntry>> entries(4);
    for (uint32_t id = 0; id < set_.rules.size(); ++id) {
        const Rule& r = set_.rules[id];
        int i = set_index(r.type);
        if (i < 0 || r.eval || !r.regex || status_[id].state != RuleState::Runnable) continue;
        entries[static_cast<std::size_t>(i)].push_back({id, *r.regex});
    }
    for (auto& e : entries) sets_.push_back(PatternSet::build(std::move(e)));
    for (const auto& s : sets_)
        for (const auto& p : s.problems())
            if (p.rejected) mark(p.id, RuleState::Unsupported, "regex: " + p.message);
}

void CompiledRules::compile_headers() {
    std::map<std::string, std::size_t> header_index, mime_index;
    for (uint32_t id = 0; id < set_.rules.size(); ++id) {
        const Rule& r = set_.rules[id];
        const bool mime = r.type == RuleType::Mimeheader;
        if ((r.type != RuleType::Header && !mime) || r.eval || status_[id].state != RuleState::Runnable) continue;
        HeaderRule hr{id, std::nullopt};
        if (!r.exists_test && r.regex) {
            auto re = PcreRegex::compile(*r.regex);
            if (!re) {
                mark(id, RuleState::Unsupported, "regex: " + re.error().message);
                continue;
            }
            hr.regex = std::move(*re);
        }
        auto& groups = mime ? mimeheader_groups_ : header_groups_;
        auto& index = mime ? mime_index : header_index;
        auto [it, fresh] = index.try_emplace(target_key(r.target), groups.size());
        if (fresh) groups.push_back({r.target, {}, std::nullopt});
        groups[it->second].rules.push_back(std::move(hr));
    }
    build_header_sets(header_groups_);
    build_header_sets(mimeheader_groups_);
}

void CompiledRules::build_header_sets(std::vector<HeaderGroup>& groups) {
    for (auto& g : groups) {
        std::vector<PatternSetEntry> entries;
        for (const auto& hr : g.rules) {
            const Rule& r = set_.rules[hr.id];
            if (hr.regex && !r.negated) entries.push_back({hr.id, *r.regex});
        }
        if (entries.size() < kMinHeaderSetRules) continue;
        g.set = PatternSet::build(std::move(entries));
        for (auto& hr : g.rules)
            if (g.set->regex(hr.id)) hr.regex.reset();   // served by the set (compiled there)
    }
}

void CompiledRules::compile_metas() {
    // Parse every meta; then settle states in dependency order (depth-first, cycles unsupported).
    for (uint32_t id = 0; id < set_.rules.size(); ++id) {
        if (set_.rules[id].type != RuleType::Meta || status_[id].state == RuleState::Off) continue;
        auto m = MetaExpression::parse(set_.rules[id].meta, [&](std::string_view name) {
            auto it = set_.index.find(std::string(name));
            return it == set_.index.end() ? -1 : static_cast<int>(it->second);
        });
        if (!m) {
            mark(id, RuleState::Unsupported, "meta: " + m.error().message);
            continue;
        }
        metas_[id] = std::move(*m);
    }
    enum class Visit : uint8_t { No, Busy, Done };
    std::vector<Visit> seen(set_.rules.size(), Visit::No);
    std::function<void(uint32_t)> visit = [&](uint32_t id) {
        if (seen[id] == Visit::Done) return;
        if (seen[id] == Visit::Busy) {
            mark(id, RuleState::Unsupported, "meta: dependency cycle");
            return;
        }
        seen[id] = Visit::Busy;
        for (const auto& [name, ref] : metas_[id]->references()) {
            if (ref < 0) continue;   // undefined: counts as 0, as in SpamAssassin
            auto dep = static_cast<uint32_t>(ref);
            if (metas_[dep]) visit(dep);
            // A rule we cannot run exactly would make this meta's answer a guess: do not run it.
            if (status_[dep].state == RuleState::Unsupported)
                mark(id, RuleState::Unsupported, "meta: uses " + name + " (" + status_[dep].why + ")");
        }
        seen[id] = Visit::Done;
        meta_order_.push_back(id);
    };
    for (uint32_t id = 0; id < set_.rules.size(); ++id)
        if (metas_[id] && status_[id].state != RuleState::Off) visit(id);
    std::erase_if(meta_order_, [&](uint32_t id) { return status_[id].state != RuleState::Runnable; });
}

std::size_t CompiledRules::count(RuleState s) const {
    std::size_t n = 0;
    for (const auto& st : status_) n += st.state == s;
    return n;
}

std::vector<PatternProblem> CompiledRules::pattern_problems() const {
    std::vector<PatternProblem> out;
    for (const auto& s : sets_) out.insert(out.end(), s.problems().begin(), s.problems().end());
    return out;
}

std::pair<std::size_t, std::size_t> CompiledRules::prefilter_coverage() const {
    std::size_t pre = 0, all = 0;
    for (const auto& s : sets_) {
        pre += s.prefiltered();
        all += s.size();
    }
    return {pre, all};
}

PatternSetStats CompiledRules::pattern_stats() const {
    PatternSetStats sum;
    for (const auto& s : sets_) {
        const PatternSetStats one = s.stats();
        sum.literal += one.literal;
        sum.prefilter += one.prefilter;
        sum.fallback += one.fallback;
        sum.counted += one.counted;
        sum.paired += one.paired;
        sum.filtered += one.filtered;
        sum.plain += one.plain;
        sum.literals += one.literals;
    }
    return sum;
}

const PatternSet& CompiledRules::patterns(RuleType t) const {
    int i = set_index(t);
    return sets_[static_cast<std::size_t>(i < 0 ? 0 : i)];
}

}  // namespace mw::spam
