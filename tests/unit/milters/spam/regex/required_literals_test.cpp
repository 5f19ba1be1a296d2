#include "milters/spam/regex/required_literals.hpp"

#include <catch2/catch.hpp>

#include <string>
#include <vector>

using mw::spam::LiteralOptions;
using mw::spam::RegexSpec;
using mw::spam::required_literals;

namespace {

using Strings = std::vector<std::string>;

RegexSpec spec(std::string pattern, bool caseless = false, bool extended = false) {
    RegexSpec s;
    s.pattern = std::move(pattern);
    s.caseless = caseless;
    s.extended = extended;
    return s;
}

// The literals, or {"<none>"} when there are none.
Strings lits(const std::string& pattern, bool caseless = false, bool extended = false,
             std::size_t min_length = 3) {
    LiteralOptions o;
    o.min_length = min_length;
    const auto r = required_literals(spec(pattern, caseless, extended), o);
    if (!r) return {"<none>"};
    return r->literals;
}

const Strings kNone{"<none>"};

}  // namespace

TEST_CASE("required_literals: plain runs and the best factor", "[spam][regex]") {
    CHECK(lits("viagra") == Strings{"viagra"});
    CHECK(lits(R"(\bfree\s+money\b)") == Strings{"money"});
    CHECK(lits("ab.cdef") == Strings{"cdef"});
    CHECK(lits(R"(^Subject: .*free$)") == Strings{"Subject: "});
    CHECK(lits("a.b.c") == kNone);          // every run shorter than 3
    CHECK(lits("a.b.c", false, false, 1) == Strings{"a"});
    CHECK(lits(R"(\d+ dollars)") == Strings{" dollars"});
}

TEST_CASE("required_literals: quantifiers", "[spam][regex]") {
    CHECK(lits("abcd*efg") == Strings{"abc"});      // d* optional: runs abc and efg, first kept
    CHECK(lits("xyzw?abc") == Strings{"xyzabc", "xyzwabc"});
    CHECK(lits("abc+def") == Strings{"abc"});       // c once, then the run ends
    CHECK(lits("(?:foo)+bars") == Strings{"bars"});
    CHECK(lits("(?:hello){2,5}x") == Strings{"hello"});
    CHECK(lits("(?:hello){0,5}x") == kNone);
    CHECK(lits("hello{0}abc") == Strings{"hellabc"});
    CHECK(lits("x*") == kNone);
    CHECK(lits("(?:abc)?") == kNone);               // can match the empty string
    CHECK(lits("abcde{,3}fgh") == Strings{"abcd"});   // Perl's {,3} is {0,3}
    CHECK(lits("ab{x}cd") == Strings{"ab{x}cd"});   // not a quantifier: literal braces
    CHECK(lits("abc+?def") == Strings{"abc"});      // lazy
}

TEST_CASE("required_literals: alternation and groups", "[spam][regex]") {
    CHECK(lits("(?:cheap|discount) meds") == Strings{"cheap meds", "discount meds"});
    CHECK(lits("foo|barbaz") == Strings{"barbaz", "foo"});
    CHECK(lits("foo|b.r") == kNone);                // one branch without a literal
    CHECK(lits("(foo|)bar") == Strings{"bar", "foobar"});
    CHECK(lits("(?<name>abc)def") == Strings{"abcdef"});
    CHECK(lits("(?P<n>abc)\\d(?P=n)") == Strings{"abc"});
    CHECK(lits("(?>atomic)x") == Strings{"atomicx"});
    CHECK(lits("(?|abc|def)") == Strings{"abc", "def"});
}

TEST_CASE("required_literals: zero-width items contribute nothing", "[spam][regex]") {
    CHECK(lits(R"((?<!un)subscribe)") == Strings{"subscribe"});
    CHECK(lits(R"((?=abcdef)abc)") == Strings{"abc"});
    CHECK(lits(R"((?!xyz)\w+)") == kNone);
    CHECK(lits(R"(\Aabc\z)") == Strings{"abc"});
    CHECK(lits(R"(foo\Kbar)") == Strings{"bar"});      // match starts after \K
    CHECK(lits(R"((?:foo\K)bar)") == kNone);
    CHECK(lits(R"(ab(?#comment)cd)") == Strings{"abcd"});
}

TEST_CASE("required_literals: escapes and classes", "[spam][regex]") {
    CHECK(lits(R"(www\.example\.com)") == Strings{"www.example.com"});
    CHECK(lits(R"(\x41\x{42}\x43\t\/)") == Strings{"ABC\t/"});
    CHECK(lits(R"(ab\103de)") == kNone);   // octal or backreference: read as neither
    CHECK(lits(R"(a\0b\0c)") == Strings{std::string("a\0b\0c", 5)});
    CHECK(lits(R"(\cAxy)") == Strings{"\x01xy"});
    CHECK(lits("[v]iagra") == Strings{"viagra"});
    CHECK(lits("fr[e3][e3]") == Strings{"fr33", "fr3e", "fre3", "free"});
    CHECK(lits("[a-z]bcd") == Strings{"bcd"});
    CHECK(lits("[^a]bcd") == Strings{"bcd"});
    CHECK(lits("[]]xy") == Strings{"]xy"});
    CHECK(lits("[\\]a]xyz") == Strings{"]xyz", "axyz"});
    CHECK(lits("[[:alpha:]]xyz") == Strings{"xyz"});
    CHECK(lits(R"(\Qa.b*c\Ede)") == Strings{"a.b*cde"});
    CHECK(lits(R"(\Qabcd\E+)") == kNone);
    CHECK(lits(R"((\w)\1abc)") == Strings{"abc"});
    CHECK(lits(R"(\x{263a}abc)") == kNone);        // PCRE2 refuses without UTF
    CHECK(lits(R"(\p{L}abc)") == Strings{"abc"});
}

TEST_CASE("required_literals: caseless and /x", "[spam][regex]") {
    const auto r = required_literals(spec("ViAgRa", true));
    REQUIRE(r);
    CHECK(r->caseless);
    CHECK(r->literals == Strings{"viagra"});
    const auto inline_i = required_literals(spec("Cheap(?i)MEDS"));
    REQUIRE(inline_i);
    CHECK(inline_i->caseless);
    CHECK(inline_i->literals == Strings{"cheapmeds"});
    CHECK_FALSE(required_literals(spec("Cheap"))->caseless);
    CHECK(lits("fr ee  # comment\n mon ey", false, true) == Strings{"freemoney"});
    CHECK(lits("abc + def", false, true) == Strings{"abc"});
    CHECK(lits(R"(a\ b\ c)", false, true) == Strings{"a b c"});
    CHECK(lits("[ ]xy", false, true) == Strings{" xy"});
    CHECK(lits("abc (?x) d e f") == kNone);   // /x switched on part-way: give up
}

TEST_CASE("required_literals: bounds", "[spam][regex]") {
    std::string many = "(?:";
    const int n = static_cast<int>(mw::limits::kMaxRegexLiterals);
    for (int i = 0; i <= n; ++i) many += (i ? "|w" : "w") + std::to_string(1000 + i) + "x.";
    many += ")";
    CHECK(lits(many) == kNone);   // one alternative more than kMaxRegexLiterals
    many.erase(many.rfind('|'));
    CHECK(lits(many + ")").size() == mw::limits::kMaxRegexLiterals);
    std::string nested(300, '(');
    nested += "abc" + std::string(300, ')');
    CHECK(lits(nested) == kNone);   // deeper than kMaxRegexGroupDepth
    std::string deep(200, '(');
    deep += "abc" + std::string(200, ')');
    CHECK(lits(deep) == Strings{"abc"});
    CHECK(lits(std::string(200, 'a')) == Strings{std::string(64, 'a')});   // a prefix is kept
    CHECK(lits("[ab][cd][ef][gh][ij][kl][mn]") .size() == 64);
    CHECK(lits("a(b") == kNone);
    CHECK(lits("abc)") == kNone);
    CHECK(lits("*abc") == kNone);
    CHECK(lits("(?R)abc") == kNone);
    CHECK(lits("(*UTF)abc") == kNone);
}

TEST_CASE("repeated_literals: a whole pattern repeated n times needs n occurrences", "[spam][regex]") {
    using mw::spam::repeated_literals;
    auto rep = [](const std::string& pattern, bool caseless = false) -> std::pair<Strings, unsigned> {
        const auto r = repeated_literals(spec(pattern, caseless));
        if (!r) return {{"<none>"}, 0};
        return {r->literals.literals, r->occurrences};
    };
    CHECK(rep("(?:foo|bar){5}") == std::pair<Strings, unsigned>{{"bar", "foo"}, 5});
    CHECK(rep(R"((name\W+){2,})", true) == std::pair<Strings, unsigned>{{"name"}, 2});
    CHECK(rep(R"((?:a[)(]bcd\)){3,7}?)") == std::pair<Strings, unsigned>{{"a(bcd)", "a)bcd)"}, 3});
    CHECK(rep(R"((?:\Q)(\Ename){2})") == std::pair<Strings, unsigned>{{")(name"}, 2});
    CHECK(rep(R"((?:(?#c(x)name){2})").second == 2);   // a comment ends at its first ')'
    // Not one group repeated over the whole pattern, or fewer than two copies: none.
    CHECK(rep("(?:foo){1}").second == 0);
    CHECK(rep("(?:foo)+").second == 0);
    CHECK(rep("(?:foo){3}x").second == 0);
    CHECK(rep("x(?:foo){3}").second == 0);
    CHECK(rep("(?:foo)(?:bar){3}").second == 0);
    CHECK(rep("(?=foo){3}").second == 0);
    CHECK(rep("(?i:foo){3}").second == 0);
    CHECK(rep("(?:a|b){3}").second == 0);   // no literal in a copy
    RegexSpec extended = spec("(?:foo){3} ");
    extended.extended = true;
    CHECK_FALSE(repeated_literals(extended));
}

TEST_CASE("required_literals: read as PCRE2 reads them (cases the fuzzer found)", "[spam][regex]") {
    // "[:" without ":]" before the next "]" is no POSIX class: '[' and ':' are members, and the
    // class ends at that "]" (the literal "xyz" follows it, outside the class).
    CHECK(lits("[[:]xyz") == Strings{":xyz", "[xyz"});
    CHECK(lits("[[:alpha:]]xyz") == Strings{"xyz"});
    // Under /x, NEL (0x85) is white space: this pattern is "abc" and matches "abc".
    CHECK(lits("a\x85" "bc", false, true) == Strings{"abc"});
}

TEST_CASE("required_literals: repeat counts with leading zeros are counts", "[spam][regex]") {
    // PCRE2 and Perl read {0000002} as {2}: no literal '{' in the requirement.
    CHECK(lits("abc{0000000000000000002}de") == lits("abc{2}de"));
    CHECK(lits("abc{0000000000000000002}de") != Strings{"abc{0000000000000000002}de"});
}
