#include "milters/spam/rules/meta_linker.hpp"

#include <map>
#include <vector>

#include "milters/spam/rules/meta_expression.hpp"

namespace mw::spam {
namespace {

struct MetaDeps {
    std::vector<std::size_t> rules;   // every rule referenced (positions)
    std::vector<std::size_t> metas;   // the referenced rules that are metas
};

void add_diagnostic(RuleSet& set, RuleDiagnostic::Kind kind, const Rule& rule, std::string message) {
    set.diagnostics.push_back(RuleDiagnostic{kind, rule.defined_at, rule.name, std::move(message)});
}

int resolve_in(const RuleSet& set, std::string_view name) {
    auto it = set.index.find(std::string(name));
    return it == set.index.end() ? -1 : static_cast<int>(it->second);
}

// Parses each meta once more against the final rule index; reports unknown references.
std::map<std::size_t, MetaDeps> collect(RuleSet& set, std::set<std::string>& drop) {
    std::map<std::size_t, MetaDeps> deps;
    for (std::size_t i = 0; i < set.rules.size(); ++i) {
        const Rule& rule = set.rules[i];
        if (rule.type != RuleType::Meta) continue;
        auto expr = MetaExpression::parse(rule.meta, [&](std::string_view n) { return resolve_in(set, n); });
        if (!expr) {
            add_diagnostic(set, RuleDiagnostic::Kind::Error, rule, "invalid meta: " + expr.error().message);
            drop.insert(rule.name);
            continue;
        }
        MetaDeps& d = deps[i];
        for (const auto& [name, id] : expr->references()) {
            if (id < 0) {
                add_diagnostic(set, RuleDiagnostic::Kind::Unsupported, rule,
                               "meta " + rule.name + ": unknown rule " + name + " counts as 0");
                continue;
            }
            d.rules.push_back(static_cast<std::size_t>(id));
            if (set.rules[static_cast<std::size_t>(id)].type == RuleType::Meta)
                d.metas.push_back(static_cast<std::size_t>(id));
        }
    }
    return deps;
}

// SA's loop: repeatedly settle metas whose meta dependencies are settled; the rest are cycles.
void exclude_unsolved(RuleSet& set, const std::map<std::size_t, MetaDeps>& deps,
                      std::set<std::string>& drop) {
    std::set<std::size_t> open;
    for (const auto& [i, d] : deps) open.insert(i);
    for (bool progress = true; progress && !open.empty();) {
        progress = false;
        for (auto it = open.begin(); it != open.end();) {
            bool ready = true;
            for (auto m : deps.at(*it).metas) ready = ready && open.count(m) == 0;
            if (ready) { it = open.erase(it); progress = true; }
            else ++it;
        }
    }
    for (auto i : open) {
        const Rule& rule = set.rules[i];
        add_diagnostic(set, RuleDiagnostic::Kind::Error, rule,
                       "excluding meta test " + rule.name + ", unsolved meta dependencies");
        drop.insert(rule.name);
    }
}

// fix_tflags, to a fixed point: a meta that depends on a net rule is a net rule.
void inherit_net(RuleSet& set, const std::map<std::size_t, MetaDeps>& deps) {
    for (bool changed = true; changed;) {
        changed = false;
        for (const auto& [i, d] : deps) {
            if (set.rules[i].flags.net) continue;
            for (auto r : d.rules)
                if (set.rules[r].flags.net) { set.rules[i].flags.net = changed = true; break; }
        }
    }
}

}  // namespace

std::set<std::string> link_metas(RuleSet& set) {
    std::set<std::string> drop;
    auto deps = collect(set, drop);
    exclude_unsolved(set, deps, drop);
    inherit_net(set, deps);
    return drop;
}

}  // namespace mw::spam
