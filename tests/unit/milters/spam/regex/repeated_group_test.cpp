// repeated_group(), top_level_items() and repeated_pair_pattern(): the shape, the item reader,
// and the pair pattern's promise checked on stock rules and the corpus: wherever PCRE2 matches
// a repeated-group rule, its pair pattern matches too (a wrong pair would silently lose hits).
#include <catch2/catch.hpp>

#include <iostream>
#include <optional>
#include <string>
#include <vector>

#include "milters/spam/regex/pcre_regex.hpp"
#include "milters/spam/regex/repeated_group.hpp"
#include "tests/unit/milters/spam/regex/stock_rules.hpp"

using mw::spam::MatchScratch;
using mw::spam::PcreRegex;
using mw::spam::RegexSpec;
using mw::spam::repeated_group;
using mw::spam::repeated_pair_pattern;
using mw::spam::top_level_items;

namespace {

RegexSpec spec(const std::string& pattern, bool caseless = false) {
    RegexSpec s;
    s.pattern = pattern;
    s.caseless = caseless;
    return s;
}

using Items = std::vector<std::string>;

Items items(const std::string& pattern) {
    const auto got = top_level_items(pattern);
    if (!got) return {"<none>"};
    return {got->begin(), got->end()};
}

std::string pair(const std::string& pattern) {
    const auto got = repeated_pair_pattern(spec(pattern));
    return got ? got->pattern : "<none>";
}

}  // namespace

TEST_CASE("repeated_group: one group repeated at least twice over the whole pattern", "[spam][regex]") {
    const auto g = repeated_group(spec("(?:ab|c){3}"));
    REQUIRE(g);
    CHECK(g->inner == "ab|c");
    CHECK(g->occurrences == 3);
    CHECK(repeated_group(spec("(a[)]b){2,5}?"))->inner == "a[)]b");
    CHECK(repeated_group(spec("(a b){2,}"))->occurrences == 2);
    CHECK(repeated_group(spec("(?:ab){, 3}")) == std::nullopt);   // Perl's {0,3}: not two copies
    CHECK_FALSE(repeated_group(spec("(?:ab){1}")));
    CHECK_FALSE(repeated_group(spec("(?:ab)(?:cd){3}")));
    CHECK_FALSE(repeated_group(spec("(?:ab){3}c")));
    CHECK_FALSE(repeated_group(spec("(?=ab){3}")));
    CHECK_FALSE(repeated_group(spec("(?:ab")));
    RegexSpec extended = spec("(?:ab){3}");
    extended.extended = true;
    CHECK_FALSE(repeated_group(extended));
}

TEST_CASE("top_level_items: atoms with their quantifiers", "[spam][regex]") {
    CHECK(items(R"(a(?:b|c)+[x)(]\s?\x{41}{2}.*?)") ==
          Items{"a", "(?:b|c)+", "[x)(]", R"(\s?)", R"(\x{41}{2})", ".*?"});
    CHECK(items(R"([]a]b[^]]{1,3}+[[:alpha:]])") == Items{"[]a]", "b", "[^]]{1,3}+", "[[:alpha:]]"});
    CHECK(items(R"(\p{L}\x41\cA\011+$)") == Items{R"(\p{L})", R"(\x41)", R"(\cA)", R"(\011+)", "$"});
    CHECK(items(R"(a(?#c(x)b)") == Items{"a", "(?#c(x)", "b"});
    CHECK(items(R"((?=x)y(?<!z)\b)") == Items{"(?=x)", "y", "(?<!z)", R"(\b)"});
    CHECK(items("").empty());
    // What cutting between items would change, or what is not read: none.
    CHECK(items("a|b") == Items{"<none>"});
    CHECK(items("(?i)ab") == Items{"<none>"});
    CHECK(items(R"((a)\1)") == Items{"<none>"});
    CHECK(items(R"((?<n>a)\k<n>)") == Items{"<none>"});
    CHECK(items(R"((?P<n>a)(?P=n))") == Items{"<none>"});
    CHECK(items(R"(\Qa|b\E)") == Items{"<none>"});
    CHECK(items("(ab") == Items{"<none>"});
    CHECK(items("[ab") == Items{"<none>"});
    CHECK(items("ab)") == Items{"<none>"});
    CHECK(items(R"(a\)") == Items{"<none>"});
    CHECK(items(R"(\x{zz})") == Items{"<none>"});
    CHECK(items("(?(1)a|b)") == Items{"<none>"});
}

TEST_CASE("repeated_pair_pattern: from the first literal item of one copy to the last of the next",
          "[spam][regex]") {
    CHECK(pair(R"((?:x?(?:name|phone)\s*[,;]){3})") == R"((?:name|phone)\s*[,;]x?(?:name|phone))");
    CHECK(pair(R"((?:(?:name|city)\W+){3})") == R"((?:name|city)\W+(?:name|city))");
    // Two literal items: from the first (copy 1) to the last (copy 2).
    CHECK(pair(R"((?:\d+(?:street)\s(?:city)[.]){2})") == R"((?:street)\s(?:city)[.]\d+(?:street)\s(?:city))");
    // Flags are the spec's.
    const auto caseless = repeated_pair_pattern(spec("(?:(?:Name)[:]){2}", true));
    REQUIRE(caseless);
    CHECK(caseless->caseless);
    CHECK(caseless->pattern == "(?:Name)[:](?:Name)");
    // No item with a literal alone (a run of single letters has none), no shape, no reading.
    CHECK(pair(R"((?:[a-z]+\s){3})") == "<none>");
    CHECK(pair(R"((?:<br>\s*){30})") == "<none>");
    CHECK(pair("(?:name){1}") == "<none>");
    CHECK(pair("(?:name|city){3}") == "<none>");   // X is an alternation, not a concatenation
    CHECK(pair("(?:(?:name|city)){3}") == "(?:name|city)(?:name|city)");
    CHECK(pair(R"((?:(?i)name\W){3})") == "<none>");
}

TEST_CASE("repeated_pair_pattern: every stock match holds a match of the pair pattern",
          "[spam][regex][stock]") {
    const auto rules = mw::spam::test::load_stock_rules(MW_SA_RULES_DIR);
    const auto corpus = mw::spam::test::load_corpus(MW_SA_CORPUS_DIR, 2, 256 * 1024);
    if (rules.empty() || corpus.empty()) return;
    MatchScratch scratch;
    std::size_t paired = 0, matches = 0;
    for (const auto& rule : rules) {
        const auto pair_spec = repeated_pair_pattern(rule.spec);
        if (!pair_spec) continue;
        ++paired;
        auto re = PcreRegex::compile(rule.spec);
        auto pair_re = PcreRegex::compile(*pair_spec);
        REQUIRE(pair_re);
        if (!re) continue;   // the few stock patterns too big for PCRE2 here
        for (const auto& text : corpus) {
            const auto m = re->search(text, scratch);
            if (!m) continue;
            ++matches;
            const std::string span = text.substr(m->begin, m->end - m->begin);
            INFO(rule.name << " matched " << span.substr(0, 200));
            CHECK(pair_re->search(span, scratch));
        }
    }
    std::cout << "pair patterns: " << paired << " stock rules, " << matches << " corpus matches checked\n";
    CHECK(paired >= 2);      // __FILL_THIS_FORM_SHORT1, __FILL_THIS_FORM_SHORT2 (and LONG1, LONG2)
    CHECK(matches >= 10);
}
