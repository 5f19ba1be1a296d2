// plain_text_skeleton(): what it keeps, what it drops, what it refuses, and (against every stock
// rule and a corpus sample) that it never loses a match in a plain text: wherever PCRE2 finds
// the original pattern on a plain span, the skeleton matches that same span.
#include <catch2/catch.hpp>

#include <optional>
#include <string>

#include "milters/spam/regex/pcre_regex.hpp"
#include "milters/spam/regex/plain_text_skeleton.hpp"
#include "tests/unit/milters/spam/regex/stock_rules.hpp"

using mw::spam::is_plain_text;
using mw::spam::MatchScratch;
using mw::spam::PcreRegex;
using mw::spam::plain_text_skeleton;
using mw::spam::RegexSpec;

namespace {

RegexSpec spec(std::string pattern, bool caseless = false) {
    RegexSpec s;
    s.pattern = std::move(pattern);
    s.caseless = caseless;
    return s;
}

// The skeleton's pattern, "NEVER" when it can match no plain text, nullopt when refused.
std::optional<std::string> skeleton(std::string pattern, bool caseless = false) {
    auto out = plain_text_skeleton(spec(std::move(pattern), caseless));
    if (!out) return std::nullopt;
    if (out->never) return "NEVER";
    CHECK_FALSE(out->spec.caseless);   // folded into the atoms
    return out->spec.pattern;
}

bool matches(const std::string& pattern, std::string_view text) {
    auto re = PcreRegex::compile(spec(pattern));
    REQUIRE(re);
    MatchScratch scratch;
    return re->search(text, scratch).has_value();
}

}  // namespace

TEST_CASE("is_plain_text: ASCII without '&'", "[spam][regex]") {
    CHECK(is_plain_text("Hello, world!\n"));
    CHECK(is_plain_text(""));
    CHECK_FALSE(is_plain_text("caf\xc3\xa9"));
    CHECK_FALSE(is_plain_text("fish &amp; chips"));
}

TEST_CASE("plain_text_skeleton: atoms become plain byte sets", "[spam][regex]") {
    CHECK(skeleton("abc") == R"(\x61\x62\x63)");
    CHECK(skeleton("a.c") == R"(\x61[\x00-\x25\x27-\x7f]\x63)");
    CHECK(skeleton("[a-c]\\d") == R"([\x61-\x63][\x30-\x39])");
    CHECK(skeleton("(?:ab|cd)") == R"((?:\x61\x62|\x63\x64))");
    CHECK(skeleton("x", true) == R"([\x58\x78])");
    CHECK(skeleton("[^a]", true) == skeleton("[^aA]"));
    CHECK(skeleton("[[:digit:]x]") == R"([\x30-\x39\x78])");
    CHECK(skeleton("[a\\xe9]") == R"(\x61)");   // the non-ASCII member cannot occur
}

TEST_CASE("plain_text_skeleton: look-alikes outside plain text are dropped", "[spam][regex]") {
    // A FUZZY_*-style letter: ASCII, a UTF-8 look-alike or an HTML entity.
    const std::string a = R"((?:[aA@\xe0]|[\xc3][\xa0\xa1]|&\#(?:224|x61);))";
    const std::string b = R"((?:[bB8]|[\xc3][\x9f]))";
    const auto s = skeleton("(?!ab)" + a + "[\\W_]{0,2}" + b, true);
    REQUIRE(s);
    CHECK(*s == R"([\x40-\x41\x61][\x00-\x25\x27-\x2f\x3a-\x40\x5b-\x60\x7b-\x7f]*[\x38\x42\x62])");
    CHECK(matches(*s, "a-B"));
    CHECK(matches(*s, "@b"));
    CHECK_FALSE(matches(*s, "axb"));
    CHECK(skeleton("x[\\xc3][\\xa0]", true) == "NEVER");
    CHECK(skeleton("x&y") == "NEVER");
    CHECK(skeleton("x(?:&y)?z") == R"(\x78\x7a)");
    CHECK(skeleton("x(?:\\xe9|\\xe8)+") == "NEVER");
    CHECK(skeleton("(?:\\xe9|y)x") == R"(\x79\x78)");
}

TEST_CASE("plain_text_skeleton: assertions dropped, repeats loosened", "[spam][regex]") {
    CHECK(skeleton("(?!foo)bar") == skeleton("bar"));
    CHECK(skeleton("^\\bbar(?<=r)$") == skeleton("bar"));
    CHECK(skeleton("(?=\\xe9)bar") == skeleton("bar"));   // a dead lookahead only restricted
    CHECK(skeleton("a{2,7}") == R"(\x61{2,})");
    CHECK(skeleton("xa{0,3}") == R"(\x78\x61*)");
    CHECK(skeleton("xa?") == R"(\x78\x61?)");
    CHECK(skeleton("xa{0}") == R"(\x78)");
    CHECK(skeleton("(a)\\1") == R"(\x61[\x00-\xff]*)");
}

TEST_CASE("plain_text_skeleton: refuses what it cannot read and what matches everything",
          "[spam][regex]") {
    CHECK_FALSE(skeleton("a*"));
    CHECK_FALSE(skeleton("(?=a)"));
    CHECK_FALSE(skeleton("a\\Kb"));
    CHECK_FALSE(skeleton("(?R)"));
    CHECK_FALSE(skeleton("(?(1)a|b)"));
    CHECK_FALSE(skeleton("(?&name)"));
    CHECK(skeleton("(?|a|b)") == R"((?:\x61|\x62))");   // branch reset: only numbering differs
    CHECK_FALSE(skeleton("(*UTF)a"));
    CHECK_FALSE(skeleton("a(?x) b"));
    CHECK_FALSE(skeleton("\\Qa\\E"));
    CHECK_FALSE(skeleton("(ab"));
    RegexSpec extended = spec("a b");
    extended.extended = true;
    CHECK_FALSE(plain_text_skeleton(extended));
}

TEST_CASE("plain_text_skeleton: stock rules never lose a match on plain corpus text",
          "[spam][regex][stock]") {
    const auto rules = mw::spam::test::load_stock_rules(MW_SA_RULES_DIR);
    const auto corpus = mw::spam::test::load_corpus(MW_SA_CORPUS_DIR, 25, 32 * 1024);
    if (rules.empty() || corpus.empty()) {
        WARN("SKIPPED: no SpamAssassin rules in " MW_SA_RULES_DIR " or no corpus");
        return;
    }
    MatchScratch scratch;
    std::size_t with_skeleton = 0, never = 0, checked_matches = 0;
    for (const auto& rule : rules) {
        auto original = PcreRegex::compile(rule.spec);
        if (!original) continue;
        const auto s = plain_text_skeleton(rule.spec);
        if (!s) continue;
        ++with_skeleton;
        never += s->never;
        std::optional<PcreRegex> loose;
        if (!s->never) {
            auto compiled = PcreRegex::compile(s->spec);
            INFO(rule.name << ": " << s->spec.pattern.substr(0, 300));
            REQUIRE(compiled);
            loose = std::move(*compiled);
        }
        for (const auto& text : corpus) {
            const auto m = original->search(text, scratch);
            if (!m) continue;
            const std::string_view span = std::string_view(text).substr(m->begin, m->end - m->begin);
            if (!is_plain_text(span)) continue;
            ++checked_matches;
            INFO(rule.name);
            REQUIRE(loose);
            REQUIRE(loose->search(span, scratch).has_value());
        }
    }
    CHECK(with_skeleton > rules.size() / 2);
    CHECK(never > 0);
    CHECK(checked_matches > 1000);
}
