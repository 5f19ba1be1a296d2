// Measurements, no timing assertions: PatternSet build time per stock rule type and scan time
// per corpus message (its body split into SpamAssassin-like paragraph lines), literal/prefilter
// set against the PCRE2-only set. Both must report the same rules for every line. Thread CPU
// time is used so that other work on the machine does not distort the numbers much. Skips
// without the rules; the scan part skips without the corpus.
#include <catch2/catch.hpp>

#include <time.h>

#include <algorithm>
#include <iostream>
#include <string>
#include <vector>

#include "common/base/limits.hpp"
#include "milters/spam/regex/pattern_set.hpp"
#include "tests/unit/milters/spam/regex/stock_rules.hpp"

using mw::spam::PatternScratch;
using mw::spam::PatternSet;
using mw::spam::PatternSetEntry;
using mw::spam::PatternSetOptions;
using mw::spam::test::load_corpus;
using mw::spam::test::load_stock_rules;
using mw::spam::test::StockRule;

namespace {

double cpu_us() {
    timespec ts{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return static_cast<double>(ts.tv_sec) * 1e6 + static_cast<double>(ts.tv_nsec) / 1e3;
}

std::vector<PatternSetEntry> entries_of(const std::vector<StockRule>& rules, const std::string& type) {
    std::vector<PatternSetEntry> entries;
    for (std::size_t i = 0; i < rules.size(); ++i) {
        if (rules[i].type == type) entries.push_back({static_cast<uint32_t>(i), rules[i].spec});
    }
    return entries;
}

// The body of a raw message as SpamAssassin-like lines: paragraphs (blank-line separated) with
// their line breaks kept, cut at kMaxSpamBodyLine. Not decoded: close enough for timing.
std::vector<std::string> body_lines(const std::string& message) {
    auto at = message.find("\n\n");
    if (at == std::string::npos) at = message.find("\r\n\r\n");
    std::vector<std::string> lines;
    if (at == std::string::npos) return lines;
    std::string current;
    std::size_t pos = at + 2;
    while (pos < message.size()) {
        auto end = message.find('\n', pos);
        if (end == std::string::npos) end = message.size();
        std::string line = message.substr(pos, end - pos);
        if (!line.empty() && line.back() == '\r') line.pop_back();
        pos = end + 1;
        if (line.empty() || current.size() + line.size() + 1 > mw::limits::kMaxSpamBodyLine) {
            if (!current.empty()) lines.push_back(std::move(current));
            current.clear();
            if (line.empty()) continue;
        }
        current += line + "\n";
    }
    if (!current.empty()) lines.push_back(std::move(current));
    return lines;
}

std::vector<std::vector<std::string>> corpus_messages(std::size_t step) {
    std::vector<std::vector<std::string>> out;
    for (const auto& text : load_corpus(MW_SA_CORPUS_DIR, step, 256 * 1024)) {
        out.push_back(body_lines(text));
    }
    return out;
}

struct Timing {
    std::vector<double> per_message;
    std::size_t matches = 0;
};

Timing time_scans(const PatternSet& set, const std::vector<std::vector<std::string>>& messages,
                  std::vector<std::vector<uint32_t>>& results) {
    PatternScratch scratch;
    set.prepare(scratch);
    Timing t;
    results.clear();
    for (const auto& lines : messages) {
        const double t0 = cpu_us();
        for (const auto& line : lines) {
            results.emplace_back();
            set.scan(line, scratch, [&](uint32_t id) { results.back().push_back(id); });
            t.matches += results.back().size();
        }
        t.per_message.push_back(cpu_us() - t0);
    }
    return t;
}

double percentile(std::vector<double> v, double p) {
    if (v.empty()) return 0;
    std::sort(v.begin(), v.end());
    return v[static_cast<std::size_t>(p * static_cast<double>(v.size() - 1))];
}

double mean(const std::vector<double>& v) {
    double sum = 0;
    for (double x : v) sum += x;
    return v.empty() ? 0 : sum / static_cast<double>(v.size());
}

}  // namespace

TEST_CASE("PatternSet: build and scan times on the stock rules", "[spam][regex][stock][speed]") {
    const auto rules = load_stock_rules(MW_SA_RULES_DIR);
    if (rules.empty()) {
        WARN("SKIPPED: no SpamAssassin rules in " MW_SA_RULES_DIR);
        return;
    }
    double total_ms = 0;
    for (const std::string type : {"body", "rawbody", "uri", "full"}) {
        const double t0 = cpu_us();
        const auto set = PatternSet::build(entries_of(rules, type));
        const double ms = (cpu_us() - t0) / 1000;
        total_ms += ms;
        const auto s = set.stats();
        std::cout << "build " << type << ": " << set.size() << " patterns in " << ms
                  << " ms CPU: " << s.literal << " literal-prefiltered (" << s.literals
                  << " literals), " << s.prefilter << " hyperscan-prefiltered, " << s.fallback
                  << " fallback\n";
        CHECK(s.literal + s.prefilter + s.fallback == set.size());
    }
    std::cout << "build body+rawbody+uri+full: " << total_ms << " ms CPU\n";
    const auto messages = corpus_messages(10);
    if (messages.empty()) {
        WARN("SKIPPED scan part: no messages under " MW_SA_CORPUS_DIR);
        return;
    }
    const auto set = PatternSet::build(entries_of(rules, "body"));
    const auto pcre = PatternSet::build(entries_of(rules, "body"), PatternSetOptions{false});
    std::vector<std::vector<uint32_t>> got, expected;
    const Timing fast = time_scans(set, messages, got);
    const Timing slow = time_scans(pcre, messages, expected);
    std::size_t lines = 0;
    for (const auto& m : messages) lines += m.size();
    std::cout << "scan body lines of " << messages.size() << " corpus messages (" << lines
              << " lines), us CPU per message: mean " << mean(fast.per_message) << ", median "
              << percentile(fast.per_message, 0.5) << ", p90 " << percentile(fast.per_message, 0.9)
              << "; PCRE2 only: mean " << mean(slow.per_message) << ", median "
              << percentile(slow.per_message, 0.5) << "\n";
    CHECK(got == expected);
    CHECK(fast.matches > messages.size());
}

