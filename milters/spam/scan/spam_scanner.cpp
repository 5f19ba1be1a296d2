#include "milters/spam/scan/spam_scanner.hpp"

#include <algorithm>

#include "milters/spam/scan/header_text.hpp"

namespace mw::spam {

namespace {

/// One scan's state: the rules, the input, where hits go.
class Scan {
public:
    Scan(const CompiledRules& rules, const ScanInput& in, ScanScratch& s, Deadline d)
        : rules_(rules), in_(in), s_(s), deadline_(d) {}

    bool run();   // false: the deadline passed

private:
    void record(uint32_t id, std::string_view text, const PcreRegex* re);
    void header_groups(const std::vector<CompiledRules::HeaderGroup>& groups,
                       const std::vector<HeaderField>& fields);
    bool texts(RuleType type, const std::vector<std::string>& lines);
    void uris();
    void evals();
    void metas();

    const CompiledRules& rules_;
    const ScanInput& in_;
    ScanScratch& s_;
    Deadline deadline_;
};

/// A match of rule `id` in `text`: one hit, or with tflags multiple each match up to maxhits.
void Scan::record(uint32_t id, std::string_view text, const PcreRegex* re) {
    const Rule& r = rules_.rule(id);
    int& hits = s_.hits[id];
    if (!r.flags.multiple || !re) {
        hits = std::max(hits, 1);
        return;
    }
    const int cap = r.flags.maxhits > 0 ? r.flags.maxhits : 1000;
    if (hits >= cap) return;
    hits += std::max(1, re->count(text, s_.match, cap - hits));
}

void Scan::header_groups(const std::vector<CompiledRules::HeaderGroup>& groups,
                         const std::vector<HeaderField>& fields) {
    for (const auto& g : groups) {
        auto text = header_text(fields, g.target, in_.envelope.mail_from, in_.relays);
        // With the text present, the group's set matches all its rules at once.
        const bool by_set = text && g.set;
        if (by_set) {
            const std::string_view value(*text);
            g.set->scan(value, s_.patterns, [&](uint32_t id) { record(id, value, g.set->regex(id)); });
        }
        for (const auto& hr : g.rules) {
            const Rule& r = rules_.rule(hr.id);
            if (r.exists_test) {
                if (text.has_value() != r.negated) s_.hits[hr.id] = std::max(s_.hits[hr.id], 1);
                continue;
            }
            const PcreRegex* re = g.regex(hr);
            if (!re || (by_set && !hr.regex)) continue;   // no regex: rejected; else done by the set
            // A missing header is Perl's undef: "" unless the rule gave [if-unset: TEXT].
            std::string_view value = text ? std::string_view(*text)
                                          : (r.if_unset ? std::string_view(*r.if_unset) : std::string_view());
            const bool matched = re->search(value, s_.match).has_value();
            if (matched != r.negated) record(hr.id, value, r.negated ? nullptr : re);
        }
    }
}

bool Scan::texts(RuleType type, const std::vector<std::string>& lines) {
    const PatternSet& set = rules_.patterns(type);
    if (set.size() == 0) return true;
    std::string_view current;
    auto on_match = [&](uint32_t id) { record(id, current, set.regex(id)); };
    for (const auto& line : lines) {
        if (deadline_.expired()) return false;
        current = line;
        set.scan(line, s_.patterns, on_match);
    }
    return true;
}

void Scan::uris() {
    const PatternSet& set = rules_.patterns(RuleType::Uri);
    if (set.size() == 0) return;
    std::string_view current;
    auto on_match = [&](uint32_t id) { record(id, current, set.regex(id)); };
    for (const auto& u : in_.message->uris) {
        current = u.uri;
        set.scan(u.uri, s_.patterns, on_match);
    }
}

void Scan::evals() {
    for (uint32_t id : rules_.eval_rules()) {
        const EvalEntry* e = rules_.eval_of(id);
        int n = e->run(in_, rules_.rule(id).eval->args);
        if (n > 0) s_.hits[id] = std::max(s_.hits[id], n);
    }
}

void Scan::metas() {
    auto hits = [&](int id) { return static_cast<double>(s_.hits[static_cast<std::size_t>(id)]); };
    for (uint32_t id : rules_.meta_order())
        if (rules_.meta(id).evaluate(hits) != 0) s_.hits[id] = 1;
}

bool Scan::run() {
    header_groups(rules_.header_groups(), in_.message->headers);
    for (std::size_t p = 0; p < in_.message->parts.size(); ++p)
        header_groups(rules_.mimeheader_groups(), in_.message->parts[p].headers);
    bool in_time = texts(RuleType::Body, in_.message->body_lines) &&
                   texts(RuleType::Rawbody, in_.message->rawbody_lines);
    if (in_time) {
        uris();
        const PatternSet& full = rules_.patterns(RuleType::Full);
        std::string_view raw = in_.raw;
        if (full.size() > 0)
            full.scan(raw, s_.patterns, [&](uint32_t id) { record(id, raw, full.regex(id)); });
        in_time = !deadline_.expired();
    }
    evals();
    metas();
    return in_time;
}

}  // namespace

void ScanScratch::prepare(const CompiledRules& rules) {
    if (prepared_for == &rules) return;
    rules.prepare(patterns);
    prepared_for = &rules;
}

ScanOutcome scan_message(const CompiledRules& rules, const ScanInput& input, ScanScratch& scratch,
                         Deadline deadline) {
    scratch.prepare(rules);
    scratch.hits.assign(rules.size(), 0);
    ScanOutcome out;
    out.timed_out = !Scan(rules, input, scratch, deadline).run();
    for (uint32_t id = 0; id < rules.size(); ++id) {
        const RuleStatus& st = rules.status(id);
        if (scratch.hits[id] == 0 || !st.counted || st.state != RuleState::Runnable || st.score == 0) continue;
        out.score += st.score;
        out.hits.push_back(id);
    }
    std::sort(out.hits.begin(), out.hits.end(),
              [&](uint32_t a, uint32_t b) { return rules.rule(a).name < rules.rule(b).name; });
    return out;
}

}  // namespace mw::spam
