#include "milters/spam/rules/rule_lint.hpp"

#include <fmt/format.h>

#include <map>

namespace mw::spam {
namespace {

constexpr RuleType kTypes[] = {RuleType::Header, RuleType::Body, RuleType::Rawbody, RuleType::Full,
                               RuleType::Uri, RuleType::Mimeheader, RuleType::Meta};

std::size_t at(RuleType t) { return static_cast<std::size_t>(t); }

const char* kind_name(RuleDiagnostic::Kind kind) {
    switch (kind) {
        case RuleDiagnostic::Kind::Error: return "error";
        case RuleDiagnostic::Kind::Unsupported: return "unsupported";
        case RuleDiagnostic::Kind::Ignored: return "ignored";
    }
    return "?";
}

std::string counts_line(const char* title, const std::size_t (&counts)[7]) {
    std::size_t total = 0;
    std::string parts;
    for (auto t : kTypes) {
        if (counts[at(t)] == 0) continue;
        total += counts[at(t)];
        parts += fmt::format("{}{} {}", parts.empty() ? "" : ", ", rule_type_name(t), counts[at(t)]);
    }
    return fmt::format("{}: {} ({})\n", title, total, parts);
}

void list_kind(std::string& out, const std::vector<const RuleDiagnostic*>& all, RuleDiagnostic::Kind kind) {
    for (const auto* d : all) {
        if (d->kind != kind) continue;
        out += fmt::format("{}:{}: {}: {}{}\n", d->where.file, d->where.line, kind_name(kind),
                           d->rule.empty() || d->message.find(d->rule) != std::string::npos ? "" : d->rule + ": ",
                           d->message);
    }
}

struct Summary {
    std::size_t count = 0;
    SourcePos first;
};

void summarize_ignored(std::string& out, const std::vector<const RuleDiagnostic*>& all) {
    std::map<std::string, Summary> by_message;
    for (const auto* d : all) {
        if (d->kind != RuleDiagnostic::Kind::Ignored) continue;
        auto& s = by_message[d->message];
        if (s.count++ == 0) s.first = d->where;
    }
    for (const auto& [message, s] : by_message)
        out += fmt::format("{}:{}: ignored: {} ({} line{})\n", s.first.file, s.first.line, message,
                           s.count, s.count == 1 ? "" : "s");
}

}  // namespace

const char* rule_type_name(RuleType type) {
    switch (type) {
        case RuleType::Header: return "header";
        case RuleType::Body: return "body";
        case RuleType::Rawbody: return "rawbody";
        case RuleType::Full: return "full";
        case RuleType::Uri: return "uri";
        case RuleType::Mimeheader: return "mimeheader";
        case RuleType::Meta: return "meta";
    }
    return "?";
}

RuleCounts count_rules(const RuleSet& set, const std::vector<RuleDiagnostic>& extra) {
    RuleCounts c;
    for (const auto& rule : set.rules) {
        ++c.by_type[at(rule.type)];
        if (rule.eval) ++c.evals[at(rule.type)];
    }
    auto count = [&c](const RuleDiagnostic& d) {
        if (d.kind == RuleDiagnostic::Kind::Error) ++c.errors;
        else if (d.kind == RuleDiagnostic::Kind::Unsupported) ++c.unsupported;
        else ++c.ignored;
    };
    for (const auto& d : set.diagnostics) count(d);
    for (const auto& d : extra) count(d);
    return c;
}

std::string format_lint(const RuleSet& set, const std::vector<RuleDiagnostic>& extra,
                        const std::vector<std::string>& notes) {
    const RuleCounts c = count_rules(set, extra);
    std::string out = counts_line("rules", c.by_type);
    out += counts_line("eval tests", c.evals);
    out += fmt::format("required_score {}, subject tag \"{}\", freemail domains {}, redirector patterns {}\n",
                       set.required_score, set.subject_tag, set.freemail_domains.size(),
                       set.redirector_patterns.size());
    out += fmt::format("diagnostics: {} error(s), {} unsupported, {} ignored\n", c.errors, c.unsupported, c.ignored);
    std::vector<const RuleDiagnostic*> all;
    for (const auto& d : set.diagnostics) all.push_back(&d);
    for (const auto& d : extra) all.push_back(&d);
    list_kind(out, all, RuleDiagnostic::Kind::Error);
    list_kind(out, all, RuleDiagnostic::Kind::Unsupported);
    summarize_ignored(out, all);
    for (const auto& note : notes) out += "note: " + note + "\n";
    return out;
}

}  // namespace mw::spam
