// required_literals() against SpamAssassin's stock rules: every match PCRE2 finds in built texts
// and corpus messages must contain one of the rule's extracted literals (a wrong extractor would
// silently lose rule hits). Also prints how many rules get literals and how many candidates
// each minimum literal length gives on the corpus. Skips without the rules or the corpus.
#include <catch2/catch.hpp>

#include <algorithm>
#include <iostream>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "milters/spam/regex/pcre_regex.hpp"
#include "milters/spam/regex/required_literals.hpp"
#include "tests/unit/milters/spam/regex/stock_rules.hpp"

using mw::spam::LiteralOptions;
using mw::spam::MatchScratch;
using mw::spam::PcreRegex;
using mw::spam::RequiredLiterals;
using mw::spam::required_literals;
using mw::spam::RegexSpec;
using mw::spam::test::load_corpus;
using mw::spam::test::load_stock_rules;
using mw::spam::test::StockRule;

namespace {

std::string lower(std::string s) {
    for (char& c : s) {
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    }
    return s;
}

bool contains_one(std::string_view span, const RequiredLiterals& lits) {
    const std::string hay = lits.caseless ? lower(std::string(span)) : std::string(span);
    return std::any_of(lits.literals.begin(), lits.literals.end(),
                       [&](const std::string& l) { return hay.find(l) != std::string::npos; });
}

// Every `step`th corpus message, at most 64 KiB of each.
std::vector<std::string> corpus_sample(std::size_t step) {
    return load_corpus(MW_SA_CORPUS_DIR, step, 64 * 1024);
}

struct Compiled {
    const StockRule* rule;
    PcreRegex regex;
    RequiredLiterals literals;
};

std::vector<Compiled> compiled_with_literals(const std::vector<StockRule>& rules,
                                             const LiteralOptions& o) {
    std::vector<Compiled> out;
    for (const auto& r : rules) {
        auto lits = required_literals(r.spec, o);
        if (!lits) continue;
        auto re = PcreRegex::compile(r.spec);
        if (re) out.push_back({&r, std::move(*re), std::move(*lits)});
    }
    return out;
}

// Checks up to 8 matches of each rule in `text`; returns the matches checked.
std::size_t check_text(const std::vector<Compiled>& set, const std::string& text,
                       MatchScratch& scratch) {
    std::size_t checked = 0;
    for (const auto& c : set) {
        std::size_t start = 0;
        for (int n = 0; n < 8 && start <= text.size(); ++n) {
            const auto span = c.regex.search(text, scratch, start);
            if (!span) break;
            ++checked;
            const std::string_view matched(text.data() + span->begin, span->end - span->begin);
            if (!contains_one(matched, c.literals)) {
                FAIL_CHECK(c.rule->name << " /" << c.rule->spec.pattern.substr(0, 200)
                                        << "/ matched \"" << matched.substr(0, 200)
                                        << "\" without any of its " << c.literals.literals.size()
                                        << " literals, first \"" << c.literals.literals[0] << "\"");
            }
            start = span->end > span->begin ? span->end : span->end + 1;
        }
    }
    return checked;
}

std::vector<std::string> texts_from_literals(const std::vector<Compiled>& set) {
    // Each rule's literals glued into texts, so that matches are frequent.
    std::vector<std::string> texts(20);
    std::size_t i = 0;
    for (const auto& c : set) {
        for (const auto& l : c.literals.literals) {
            const char* glue = i % 3 ? " " : "\n";
            texts[i % texts.size()] += l + glue + l + "s " + "http://" + l + ".com/ ";
            ++i;
        }
    }
    return texts;
}

}  // namespace

TEST_CASE("required_literals: every stock rule match holds a literal", "[spam][regex][stock]") {
    const auto rules = load_stock_rules(MW_SA_RULES_DIR);
    if (rules.empty()) {
        WARN("SKIPPED: no SpamAssassin rules in " MW_SA_RULES_DIR);
        return;
    }
    const auto set = compiled_with_literals(rules, LiteralOptions{});
    std::map<std::string, std::pair<int, int>> by_type;   // type -> (with literals, all)
    for (const auto& r : rules) ++by_type[r.type].second;
    for (const auto& c : set) ++by_type[c.rule->type].first;
    for (const auto& [type, n] : by_type) {
        std::cout << "required literals: " << type << " " << n.first << " of " << n.second
                  << " rules\n";
    }
    CHECK(set.size() * 10 > rules.size() * 7);
    MatchScratch scratch;
    std::size_t checked = 0;
    for (const auto& t : texts_from_literals(set)) checked += check_text(set, t, scratch);
    CHECK(checked > 1000);
    const auto corpus = corpus_sample(20);
    if (corpus.empty()) {
        WARN("SKIPPED corpus part: no messages under " MW_SA_CORPUS_DIR);
        return;
    }
    std::size_t corpus_checked = 0;
    for (const auto& t : corpus) corpus_checked += check_text(set, t, scratch);
    std::cout << "required literals: " << checked << " built-text and " << corpus_checked
              << " corpus matches checked (" << corpus.size() << " messages)\n";
    CHECK(corpus_checked > corpus.size());
}

TEST_CASE("repeated_literals: every stock match holds its literals as often as the repeat",
          "[spam][regex][stock]") {
    const auto rules = load_stock_rules(MW_SA_RULES_DIR);
    const auto corpus = corpus_sample(4);
    if (rules.empty() || corpus.empty()) return;
    MatchScratch scratch;
    std::size_t repeated = 0, matches = 0;
    for (const auto& rule : rules) {
        const auto rep = mw::spam::repeated_literals(rule.spec);
        if (!rep) continue;
        ++repeated;
        auto re = PcreRegex::compile(rule.spec);
        if (!re) continue;   // the few stock patterns too big for PCRE2 here
        for (const auto& text : corpus) {
            for (std::size_t from = 0; from < text.size();) {
                const auto m = re->search(text, scratch, from);
                if (!m) break;
                ++matches;
                std::string span = text.substr(m->begin, m->end - m->begin);
                if (rep->literals.caseless) span = lower(span);
                std::set<std::size_t> ends;
                for (const auto& l : rep->literals.literals)
                    for (auto at = span.find(l); at != std::string::npos; at = span.find(l, at + 1))
                        ends.insert(at + l.size());
                INFO(rule.name << " matched " << span.substr(0, 200));
                CHECK(ends.size() >= rep->occurrences);
                from = std::max(m->end, m->begin + 1);
            }
        }
    }
    std::cout << "repeated literals: " << repeated << " stock rules, " << matches << " corpus matches checked\n";
    CHECK(repeated >= 2);   // __FILL_THIS_FORM_LONG1, __FILL_THIS_FORM_LONG2
}

TEST_CASE("required_literals: candidates per minimum length on the corpus", "[spam][regex][stock]") {
    const auto rules = load_stock_rules(MW_SA_RULES_DIR);
    const auto corpus = corpus_sample(40);
    if (rules.empty() || corpus.empty()) return;
    MatchScratch scratch;
    for (std::size_t min : {2, 3, 4}) {
        LiteralOptions o;
        o.min_length = min;
        const auto set = compiled_with_literals(rules, o);
        std::size_t candidates = 0, matches = 0;
        for (const auto& t : corpus) {
            const std::string low = lower(t);
            for (const auto& c : set) {
                if (!contains_one(c.literals.caseless ? low : t, c.literals)) continue;
                ++candidates;
                matches += c.regex.search(t, scratch) ? 1 : 0;
            }
        }
        std::cout << "min literal " << min << ": " << set.size() << " rules with literals, "
                  << double(candidates) / double(corpus.size()) << " candidates and "
                  << double(matches) / double(corpus.size())
                  << " matches (of those rules) per message\n";
        CHECK(candidates >= matches);
    }
}
