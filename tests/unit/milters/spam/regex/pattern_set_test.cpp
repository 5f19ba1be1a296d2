#include "milters/spam/regex/pattern_set.hpp"
#include "milters/spam/regex/hyperscan_database.hpp"

#include <catch2/catch.hpp>
#include <fmt/format.h>

#include <string>
#include <thread>
#include <vector>

using mw::spam::MatchScratch;
using mw::spam::PatternScratch;
using mw::spam::PatternSet;
using mw::spam::PatternSetEntry;
using mw::spam::PatternSetOptions;

namespace {

PatternSetEntry entry(uint32_t id, std::string pattern, bool caseless = false) {
    PatternSetEntry e;
    e.id = id;
    e.spec.pattern = std::move(pattern);
    e.spec.caseless = caseless;
    return e;
}

std::vector<PatternSetEntry> sample_entries() {
    return {
        entry(30, R"(\bviagra\b)", true),
        entry(10, "cheap meds"),
        entry(20, R"(foo\Kbar)"),            // \K: Hyperscan refuses, but "bar" is required
        entry(40, "x*"),                     // matches the empty string: fallback
        entry(50, "a(b"),                    // PCRE2 refuses: rejected
        entry(60, R"((\w)\1{3})"),           // no literal; Hyperscan prefilter relaxes it
        entry(70, "(?<!un)subscribe"),
        entry(80, R"(^Subject: .*free$)", false),
    };
}

std::vector<uint32_t> scan_ids(const PatternSet& set, std::string_view text, PatternScratch& s) {
    std::vector<uint32_t> ids;
    set.scan(text, s, [&](uint32_t id) { ids.push_back(id); });
    return ids;
}

std::vector<uint32_t> ids_by_search(const PatternSet& set, const std::vector<uint32_t>& all,
                                    std::string_view text, MatchScratch& scratch) {
    std::vector<uint32_t> ids;
    for (uint32_t id : all) {
        if (const auto* re = set.regex(id); re && re->search(text, scratch)) ids.push_back(id);
    }
    return ids;
}

}  // namespace

TEST_CASE("PatternSet: reports confirmed matches in ascending id order", "[spam][regex]") {
    const auto set = PatternSet::build(sample_entries());
    PatternScratch scratch;
    set.prepare(scratch);
    CHECK(scan_ids(set, "Buy VIAGRA and cheap meds, foobar, zzzz", scratch) ==
          std::vector<uint32_t>{10, 20, 30, 40, 60});
    CHECK(scan_ids(set, "please unsubscribe", scratch) == std::vector<uint32_t>{40});
    CHECK(scan_ids(set, "please subscribe\nSubject: all free\n", scratch) ==
          std::vector<uint32_t>{40, 70});
    CHECK(scan_ids(set, "Subject: all free\n", scratch) == std::vector<uint32_t>{40, 80});
    CHECK(scan_ids(set, "", scratch) == std::vector<uint32_t>{40});
    // Prefilter false positives are confirmed away: viagrax has no word boundary after it.
    CHECK(scan_ids(set, "viagrax abab", scratch) == std::vector<uint32_t>{40});
}

TEST_CASE("PatternSet: problems() lists rejected and fallback entries", "[spam][regex]") {
    const auto set = PatternSet::build(sample_entries());
    CHECK(set.size() == 7);
    using mw::spam::PatternService;
    // Entry 60 goes to Hyperscan's prefilter unless its compile overran the per-pattern time
    // budget (a loaded machine, ASan): then it is a PCRE2 fallback, listed as a problem too.
    const bool prefiltered = set.service(60) == PatternService::Prefilter;
    REQUIRE(set.problems().size() == (prefiltered ? 2u : 3u));
    std::vector<uint32_t> fallback, rejected;
    for (const auto& p : set.problems()) {
        CHECK_FALSE(p.message.empty());
        (p.rejected ? rejected : fallback).push_back(p.id);
    }
    CHECK(rejected == std::vector<uint32_t>{50});
    CHECK(fallback == (prefiltered ? std::vector<uint32_t>{40} : std::vector<uint32_t>{40, 60}));
    CHECK(set.prefiltered() == set.size() - fallback.size());
    for (uint32_t id : {10, 20, 30, 70, 80}) CHECK(set.service(id) == PatternService::Literal);
    CHECK((prefiltered || set.service(60) == PatternService::Fallback));
    CHECK(set.service(40) == PatternService::Fallback);
    CHECK(set.service(50) == std::nullopt);
    const auto stats = set.stats();
    CHECK(stats.literal == 5);
    CHECK(stats.prefilter == (prefiltered ? 1u : 0u));
    CHECK(stats.fallback == (prefiltered ? 1u : 2u));
    CHECK(stats.literals == 5);
    CHECK(set.regex(50) == nullptr);
    CHECK(set.regex(51) == nullptr);
    REQUIRE(set.regex(30) != nullptr);
    PatternScratch scratch;
    CHECK(set.regex(30)->count("viagra Viagra VIAGRA", set.match_scratch(scratch), 10) == 3);
}

TEST_CASE("PatternSet: a repeated group is a candidate only with a literal per copy", "[spam][regex]") {
    const auto set = PatternSet::build({
        entry(1, R"((?:(?:name|city)\W+){3})", true),   // three copies: three occurrences
        entry(2, "city"),
    });
    CHECK(set.stats().counted == 1);
    CHECK(set.stats().paired == 1);   // (?:name|city)\W+(?:name|city) must match too
    PatternScratch scratch;
    set.prepare(scratch);
    CHECK(scan_ids(set, "Name: city. ", scratch) == std::vector<uint32_t>{2});
    CHECK(scan_ids(set, "NAME, city, name. ", scratch) == std::vector<uint32_t>{1, 2});
    // Three occurrences but two copies (no \W+ after the first name): the pair refutes it.
    CHECK(scan_ids(set, "namecity name.", scratch) == std::vector<uint32_t>{2});
    CHECK(scan_ids(set, "name name name ", scratch) == std::vector<uint32_t>{1});
    CHECK(scan_ids(set, "namename name", scratch).empty());
}

TEST_CASE("PatternSet: entries without literal go to the prefilter or PCRE2", "[spam][regex]") {
    const auto set = PatternSet::build({
        entry(1, R"(\d\K\w)"),          // no literal, \K refused by Hyperscan: fallback
        entry(2, R"(\d[a-f]\d)"),        // no literal: Hyperscan prefilter
        entry(3, "(?:ab|cd)e"),           // literals abe, cde
        entry(4, "z[o0]mbie+s", true),    // literals zombie, z0mbie (caseless)
    });
    using mw::spam::PatternService;
    CHECK(set.service(1) == PatternService::Fallback);
    // A pattern Hyperscan takes too long to compile (a per-pattern budget, measured while
    // building) falls back to PCRE2: on a loaded machine or under ASan that can be entry 2 too.
    const bool prefiltered = set.service(2) == PatternService::Prefilter;
    CHECK((prefiltered || set.service(2) == PatternService::Fallback));
    CHECK(set.service(3) == PatternService::Literal);
    CHECK(set.service(4) == PatternService::Literal);
    CHECK(set.stats().literals == 4);
    REQUIRE(set.problems().size() == (prefiltered ? 1u : 2u));
    CHECK(set.problems()[0].id == 1);
    CHECK_FALSE(set.problems()[0].rejected);
    PatternScratch scratch;
    set.prepare(scratch);
    CHECK(scan_ids(set, "x 1a2 cde Z0MBIEEES", scratch) == std::vector<uint32_t>{1, 2, 3, 4});
    CHECK(scan_ids(set, "abe zombis", scratch) == std::vector<uint32_t>{3});
    CHECK(scan_ids(set, "ab e zombie s 1g2", scratch) == std::vector<uint32_t>{1});
    CHECK(scan_ids(set, "no digits here", scratch).empty());
}

TEST_CASE("PatternSet: literals with NUL bytes and caseless literals", "[spam][regex]") {
    const auto set = PatternSet::build({
        entry(1, R"(x\0yz)"),
        entry(2, R"(Hello\s+World)", true),
        entry(3, R"((?i)MiXeD)"),
        entry(4, "CaseSensitive"),
    });
    CHECK(set.stats().literal == 4);
    PatternScratch scratch;
    set.prepare(scratch);
    using namespace std::string_literals;
    CHECK(scan_ids(set, "a x\0yz b"s, scratch) == std::vector<uint32_t>{1});
    CHECK(scan_ids(set, "a x yz xyz"s, scratch).empty());
    CHECK(scan_ids(set, "HELLO   world mixed", scratch) == std::vector<uint32_t>{2, 3});
    CHECK(scan_ids(set, "casesensitive", scratch).empty());
    CHECK(scan_ids(set, "CaseSensitive", scratch) == std::vector<uint32_t>{4});
}

TEST_CASE("PatternSet: a duplicate id is rejected, the first entry kept", "[spam][regex]") {
    const auto set = PatternSet::build({entry(1, "abc"), entry(1, "xyz")});
    CHECK(set.size() == 1);
    REQUIRE(set.problems().size() == 1);
    CHECK(set.problems()[0].rejected);
    PatternScratch scratch;
    set.prepare(scratch);
    CHECK(scan_ids(set, "abc", scratch) == std::vector<uint32_t>{1});
    CHECK(scan_ids(set, "xyz", scratch).empty());
}

TEST_CASE("PatternSet: without Hyperscan every entry is a PCRE2 fallback", "[spam][regex]") {
    const auto set = PatternSet::build(sample_entries(), PatternSetOptions{false});
    CHECK(set.prefiltered() == 0);
    CHECK(set.size() == 7);
    PatternScratch scratch;
    set.prepare(scratch);
    CHECK(scan_ids(set, "Buy VIAGRA and cheap meds, foobar, zzzz", scratch) ==
          std::vector<uint32_t>{10, 20, 30, 40, 60});
    CHECK(scan_ids(set, "viagrax abab", scratch) == std::vector<uint32_t>{40});
}

TEST_CASE("PatternSet: an unprepared scratch still gives exact results", "[spam][regex]") {
    const auto set = PatternSet::build(sample_entries());
    PatternScratch scratch;   // no prepare(): the Hyperscan scan fails, all entries are tried
    CHECK(scan_ids(set, "Buy VIAGRA and cheap meds", scratch) ==
          std::vector<uint32_t>{10, 30, 40});
}

TEST_CASE("PatternSet: one scratch prepared for two sets serves both", "[spam][regex]") {
    const auto small = PatternSet::build({entry(1, "abc"), entry(2, "def")});
    std::vector<PatternSetEntry> many;
    for (uint32_t i = 0; i < 200; ++i) many.push_back(entry(i, "word" + std::to_string(i) + "x"));
    const auto big = PatternSet::build(std::move(many));
    CHECK(big.prefiltered() == 200);
    PatternScratch scratch;
    small.prepare(scratch);
    big.prepare(scratch);
    CHECK(scan_ids(small, "xxdefxx", scratch) == std::vector<uint32_t>{2});
    CHECK(scan_ids(big, "word17x word170x word9", scratch) == std::vector<uint32_t>{17, 170});
}

TEST_CASE("PatternSet: scan agrees with PcreRegex::search on built texts", "[spam][regex]") {
    const auto set = PatternSet::build(sample_entries());
    const std::vector<uint32_t> all{10, 20, 30, 40, 50, 60, 70, 80};
    PatternScratch scratch;
    set.prepare(scratch);
    MatchScratch match;
    const std::vector<std::string> pieces{"viagra", "VIAGRA ", "cheap meds", "foo", "bar", "zz",
                                          "un", "subscribe", "\n", "Subject: ", "free", " "};
    std::size_t seen = 0;
    for (uint32_t seed = 1; seed < 400; ++seed) {
        std::string text;
        for (uint32_t x = seed, i = 0; i < 8; ++i, x = x * 1103515245 + 12345) {
            text += pieces[(x >> 16) % pieces.size()];
        }
        const auto expected = ids_by_search(set, all, text, match);
        seen += expected.size();
        INFO(text);
        CHECK(scan_ids(set, text, scratch) == expected);
    }
    CHECK(seen > 400);   // the texts do match: the comparison is not of empty lists
}

TEST_CASE("PatternSet: two threads scan at once with their own scratches", "[spam][regex]") {
    std::vector<PatternSetEntry> entries = sample_entries();
    for (uint32_t i = 0; i < 100; ++i) entries.push_back(entry(100 + i, "tok" + std::to_string(i) + "\\b"));
    const auto set = PatternSet::build(std::move(entries));
    const std::string text = "cheap meds tok5 tok50 tok500 viagra";
    const std::vector<uint32_t> expected{10, 30, 40, 105, 150};
    int failures[2] = {0, 0};
    auto worker = [&](int n) {
        PatternScratch scratch;
        set.prepare(scratch);
        for (int i = 0; i < 2000; ++i) {
            if (scan_ids(set, text, scratch) != expected) ++failures[n];
        }
    };
    std::thread a(worker, 0), b(worker, 1);
    a.join();
    b.join();
    CHECK(failures[0] == 0);
    CHECK(failures[1] == 0);
}

TEST_CASE("PatternSet: fallbacks on plain text go through their skeletons", "[spam][regex]") {
    // FUZZY_*-style letters: ASCII, UTF-8 look-alikes, entities; long enough (over 512 bytes)
    // that Hyperscan's prefilter leaves them out, and no required literal.
    std::string lookalikes;
    for (int c = 0x80; c < 0xbf; ++c) lookalikes += fmt::format("|[\\xc3][\\x{:02x}]|&\\#{};", c, c + 100);
    const std::string a = "(?:[aA@]" + lookalikes + ")", b = "(?:[bB8]" + lookalikes + ")";
    const std::string dead = "(?:[\\xe0-\\xef]" + lookalikes + ")";
    PatternSet set = PatternSet::build({entry(1, "(?!ab)" + a + "[\\W_]?" + b, true), entry(2, dead + "{2}x")});
    REQUIRE(set.service(1) == mw::spam::PatternService::Fallback);
    REQUIRE(set.service(2) == mw::spam::PatternService::Fallback);
    if (!mw::spam::HyperscanDatabase::available()) return;
    // 2 is "never" on plain texts without any compile; 1's skeleton may miss Hyperscan's
    // per-pattern compile budget on a slow machine (ASan), and then runs with PCRE2: same results.
    CHECK(set.stats().plain >= 1);
    PatternScratch scratch;
    set.prepare(scratch);
    CHECK(scan_ids(set, "say a-b now", scratch) == std::vector<uint32_t>{1});
    CHECK(scan_ids(set, "say @8 now", scratch) == std::vector<uint32_t>{1});
    CHECK(scan_ids(set, "say ab now", scratch).empty());   // the lookahead, confirmed by PCRE2
    CHECK(scan_ids(set, "plain words only", scratch).empty());
    CHECK(scan_ids(set, "\xc3\x80-b and \xe1\xe2x", scratch) == std::vector<uint32_t>{1, 2});
    CHECK(scan_ids(set, "&#228;b", scratch) == std::vector<uint32_t>{1});
}

TEST_CASE("PatternSet: a skeleton too long for prefilter mode is compiled in exact mode", "[spam][regex]") {
    // 60 look-alike letters (five spellings each: no literal run of 3 letters fits in 64
    // strings) without a literal: the pattern is too long for the prefilter, and
    // so is its skeleton (60 byte classes, over 512 bytes), which exact mode compiles in ~1 ms.
    const std::string word = "thequickbrownfoxjumpsoverthelazydogthequickbrownfoxjumpsover";
    std::string pattern;
    for (char c : word) {
        const int k = c - 'a';
        pattern += fmt::format("(?:[{}{}]|[\\xc3][\\x{:02x}]|[\\xc4][\\x{:02x}]|&\\#{};)", c,
                               static_cast<char>(c - 'a' + 'A'), 0x80 + k, 0x80 + k, 200 + k);
    }
    const PatternSet set = PatternSet::build({entry(1, pattern), entry(2, "fox")});
    REQUIRE(set.service(1) == mw::spam::PatternService::Fallback);
    if (!mw::spam::HyperscanDatabase::available()) return;
    CHECK(set.stats().plain == 1);
    PatternScratch scratch;
    set.prepare(scratch);
    std::string upper = word;
    for (char& c : upper) c = static_cast<char>(c - 'a' + 'A');
    CHECK(scan_ids(set, "say " + word + " now", scratch) == std::vector<uint32_t>{1, 2});
    CHECK(scan_ids(set, upper, scratch) == std::vector<uint32_t>{1});
    CHECK(scan_ids(set, "the quick brown fox", scratch) == std::vector<uint32_t>{2});
    // Not plain: PCRE2 on the text, look-alikes and entities count.
    std::string mixed = word;
    mixed.replace(0, 1, "\xc3\x93");    // t -> U+00D3 byte pair 0xc3 0x80+19
    CHECK(scan_ids(set, mixed, scratch) == std::vector<uint32_t>{1, 2});
    CHECK(scan_ids(set, "&#219;" + word.substr(1), scratch) == std::vector<uint32_t>{1, 2});
    CHECK(scan_ids(set, "&#219;" + word.substr(2), scratch) == std::vector<uint32_t>{2});
}

TEST_CASE("PatternSet: a long literal entry must also match its whole pattern in exact mode", "[spam][regex]") {
    // Over 512 bytes, literals that are common words: a text with one of them is a literal
    // candidate, and the exact-mode filter of the whole (loosened) pattern decides before PCRE2.
    std::string words = "account";
    for (int i = 0; i < 60; ++i) words += fmt::format("|word{:02d}x", i);
    const std::string pattern = "(?:your\\s)?(?:" + words + ")\\W{1,5}(?:now|today)\\b";
    REQUIRE(pattern.size() > 512);
    const PatternSet set = PatternSet::build({entry(1, pattern, true), entry(2, "balance")});
    REQUIRE(set.service(1) == mw::spam::PatternService::Literal);
    if (!mw::spam::HyperscanDatabase::available()) return;
    CHECK(set.stats().filtered == 1);
    PatternScratch scratch;
    set.prepare(scratch);
    CHECK(scan_ids(set, "check your Account -- today.", scratch) == std::vector<uint32_t>{1});
    CHECK(scan_ids(set, "word07x: now", scratch) == std::vector<uint32_t>{1});
    CHECK(scan_ids(set, "account balance", scratch) == std::vector<uint32_t>{2});   // the filter refutes
    CHECK(scan_ids(set, "account todays", scratch).empty());   // no word boundary after "today"
    CHECK(scan_ids(set, "no words here", scratch).empty());
}
