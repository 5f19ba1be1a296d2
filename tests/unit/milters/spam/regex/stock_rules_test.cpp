// The stock SpamAssassin rules against PCRE2 and Hyperscan: how many compile, how many the
// prefilter serves, and (the key correctness test) that PatternSet::scan() reports exactly the
// rules whose PcreRegex matches on its own. Skips when the rules (Debian package spamassassin)
// are not installed; uses the message corpus too when shared/testdata is present.
#include <catch2/catch.hpp>

#include <algorithm>
#include <chrono>
#include <iostream>
#include <cctype>
#include <string>
#include <vector>

#include "milters/spam/regex/pattern_set.hpp"
#include "tests/unit/milters/spam/regex/stock_rules.hpp"

using mw::spam::MatchScratch;
using mw::spam::PatternScratch;
using mw::spam::PatternSet;
using mw::spam::PatternSetEntry;
using mw::spam::PatternSetOptions;
using mw::spam::PcreRegex;
using mw::spam::test::load_corpus;
using mw::spam::test::load_stock_rules;
using mw::spam::test::StockRule;

namespace {

using Clock = std::chrono::steady_clock;

double ms_since(Clock::time_point t0) {
    return std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
}

const std::vector<StockRule>& stock_rules() {
    static const auto rules = load_stock_rules(MW_SA_RULES_DIR);
    return rules;
}

std::vector<PatternSetEntry> entries_of(const std::vector<StockRule>& rules,
                                        const std::string& type = "") {
    std::vector<PatternSetEntry> entries;
    for (std::size_t i = 0; i < rules.size(); ++i) {
        if (type.empty() || rules[i].type == type) {
            entries.push_back({static_cast<uint32_t>(i), rules[i].spec});
        }
    }
    return entries;
}

// Words that occur literally in the rules, so that built texts hit many of them.
std::vector<std::string> literal_fragments(const std::vector<StockRule>& rules) {
    std::vector<std::string> out;
    auto is_word = [](char c) { return std::isalpha(static_cast<unsigned char>(c)) || c == ' '; };
    for (const auto& r : rules) {
        const auto& p = r.spec.pattern;
        for (std::size_t i = 0; i < p.size();) {
            std::size_t j = i;
            while (j < p.size() && is_word(p[j])) ++j;
            // a run of letters and blanks, not starting with an escaped letter (\b, \s, ...)
            if (j - i >= 4 && p[i] != ' ' && (i == 0 || p[i - 1] != '\\')) {
                out.push_back(p.substr(i, std::min<std::size_t>(j - i, 24)));
            }
            i = std::max(j, i + 1);
        }
    }
    return out;
}

std::vector<std::string> built_texts(const std::vector<StockRule>& rules, int count) {
    const auto words = literal_fragments(rules);
    const std::vector<std::string> glue{" ",  "\n", ": ", "<a href=\"http://", ".com/", "!!",
                                        "$1", "\n\n", "Subject: ", "From: ", " 100% ", "=20"};
    std::vector<std::string> texts;
    uint64_t x = 88172645463325252ULL;
    auto next = [&x] { x ^= x << 13; x ^= x >> 7; x ^= x << 17; return x; };
    for (int t = 0; t < count; ++t) {
        std::string text;
        for (int i = 0; i < 40; ++i) {
            std::string w = words[next() % words.size()];
            if (next() % 4 == 0) std::transform(w.begin(), w.end(), w.begin(), ::toupper);
            text += w + glue[next() % glue.size()];
        }
        texts.push_back(std::move(text));
    }
    return texts;
}

// Every 40th corpus message, at most 64 KiB of each.
std::vector<std::string> corpus_texts() { return load_corpus(MW_SA_CORPUS_DIR, 40, 64 * 1024); }

// Compares scan() with one search per rule; returns the number of matches seen.
std::size_t check_equivalence(const PatternSet& set, const std::vector<PatternSetEntry>& entries,
                              const std::vector<std::string>& texts) {
    PatternScratch scratch;
    set.prepare(scratch);
    MatchScratch match;
    std::size_t matches = 0;
    for (const auto& text : texts) {
        std::vector<uint32_t> expected, got;
        for (const auto& e : entries) {
            const auto* re = set.regex(e.id);
            if (re && re->search(text, match)) expected.push_back(e.id);
        }
        set.scan(text, scratch, [&](uint32_t id) { got.push_back(id); });
        for (uint32_t id : expected) {
            if (!std::binary_search(got.begin(), got.end(), id)) {
                FAIL_CHECK("missed " << stock_rules()[id].name << " /"
                                     << stock_rules()[id].spec.pattern.substr(0, 200) << "/");
            }
        }
        CHECK(got == expected);
        matches += expected.size();
    }
    return matches;
}

}  // namespace

TEST_CASE("stock rules: more than 99% compile with PCRE2", "[spam][regex][stock]") {
    const auto& rules = stock_rules();
    if (rules.empty()) {
        WARN("SKIPPED: no SpamAssassin rules in " MW_SA_RULES_DIR);
        return;
    }
    std::size_t ok = 0, jit = 0;
    for (const auto& r : rules) {
        auto re = PcreRegex::compile(r.spec);
        if (!re) {
            // Catch wraps long messages slowly: name the rule, not its (up to 220 KB) pattern.
            std::cout << "  PCRE2 refuses " << r.file << " " << r.name << " ("
                      << r.spec.pattern.size() << " bytes): " << re.error().message << "\n";
            continue;
        }
        ++ok;
        jit += re->jit() ? 1 : 0;
    }
    std::cout << "stock rules: " << rules.size() << " regexes, " << ok << " compile with PCRE2, "
              << jit << " JIT-compiled\n";
    CHECK(rules.size() > 1000);
    CHECK(ok * 100 > rules.size() * 99);
}

TEST_CASE("stock rules: Hyperscan prefilter counts and build time", "[spam][regex][stock]") {
    const auto& rules = stock_rules();
    if (rules.empty()) return;
    for (const std::string type : {"", "body", "rawbody", "header", "uri", "mimeheader", "full"}) {
        const auto entries = entries_of(rules, type);
        const auto t0 = Clock::now();
        const auto set = PatternSet::build(entries);
        const double ms = ms_since(t0);
        std::cout << "stock rules " << (type.empty() ? "(all)" : type) << ": " << entries.size()
                  << " entries, " << set.size() << " compiled, " << set.prefiltered()
                  << " prefiltered by Hyperscan, " << set.size() - set.prefiltered()
                  << " PCRE2 fallback; built in " << ms << " ms\n";
        CHECK(set.size() + 20 >= entries.size());
        if (type.empty()) {
            CHECK(set.prefiltered() * 10 > set.size() * 7);   // most go through a prefilter
            for (const auto& p : set.problems()) {
                std::cout << "  " << (p.rejected ? "rejected " : "fallback ")
                          << rules[p.id].name << ": " << p.message << "\n";
            }
        }
    }
}

TEST_CASE("stock rules: scan() equals PcreRegex::search for every rule", "[spam][regex][stock]") {
    const auto& rules = stock_rules();
    if (rules.empty()) return;
    const auto entries = entries_of(rules);
    const auto set = PatternSet::build(entries);
    const auto built = built_texts(rules, 150);
    const std::size_t built_matches = check_equivalence(set, entries, built);
    std::cout << "equivalence: " << built.size() << " built texts, " << built_matches
              << " rule matches\n";
    CHECK(built_matches > built.size());
    const auto corpus = corpus_texts();
    if (corpus.empty()) {
        WARN("SKIPPED corpus part: no messages under " MW_SA_CORPUS_DIR);
        return;
    }
    const std::size_t corpus_matches = check_equivalence(set, entries, corpus);
    std::cout << "equivalence: " << corpus.size() << " corpus messages, " << corpus_matches
              << " rule matches\n";
    CHECK(corpus_matches > corpus.size());
}

TEST_CASE("stock rules: the PCRE2-only set gives the same results", "[spam][regex][stock]") {
    const auto& rules = stock_rules();
    if (rules.empty()) return;
    const auto entries = entries_of(rules);
    const auto set = PatternSet::build(entries, PatternSetOptions{false});
    CHECK(set.prefiltered() == 0);
    CHECK(check_equivalence(set, entries, built_texts(rules, 20)) > 20);
}

TEST_CASE("stock rules: body scan speed on a 5 KB text", "[spam][regex][stock]") {
    const auto& rules = stock_rules();
    if (rules.empty()) return;
    const auto set = PatternSet::build(entries_of(rules, "body"));
    std::string text;
    for (const auto& t : built_texts(rules, 40)) text += t + "\n";
    text.resize(5 * 1024);
    PatternScratch scratch;
    set.prepare(scratch);
    std::size_t hits = 0;
    constexpr int kRounds = 200;
    const auto t0 = Clock::now();
    for (int i = 0; i < kRounds; ++i) set.scan(text, scratch, [&](uint32_t) { ++hits; });
    const double us = ms_since(t0) * 1000 / kRounds;
    const auto pcre_only = PatternSet::build(entries_of(rules, "body"), PatternSetOptions{false});
    const auto t1 = Clock::now();
    for (int i = 0; i < 20; ++i) pcre_only.scan(text, scratch, [](uint32_t) {});
    const double us_pcre = ms_since(t1) * 1000 / 20;
    std::cout << "body scan: " << set.size() << " patterns, 5 KB text, " << hits / kRounds
              << " matches, " << us << " us per scan with Hyperscan, " << us_pcre
              << " us PCRE2 only\n";
    CHECK(hits > 0);
}

