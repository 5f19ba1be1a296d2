#include "milters/spam/regex/pcre_regex.hpp"

#include <catch2/catch.hpp>

#include <chrono>
#include <string>

#include "common/base/limits.hpp"

using mw::spam::MatchScratch;
using mw::spam::PcreRegex;
using mw::spam::RegexSpec;

namespace {

RegexSpec spec(std::string pattern, std::string flags = "") {
    RegexSpec s;
    s.pattern = std::move(pattern);
    s.caseless = flags.find('i') != std::string::npos;
    s.multiline = flags.find('m') != std::string::npos;
    s.dotall = flags.find('s') != std::string::npos;
    s.extended = flags.find('x') != std::string::npos;
    return s;
}

PcreRegex compiled(const std::string& pattern, const std::string& flags = "") {
    auto r = PcreRegex::compile(spec(pattern, flags));
    INFO(pattern << " : " << (r ? std::string() : r.error().message));
    REQUIRE(r);
    return std::move(*r);
}

bool matches(const std::string& pattern, std::string_view text, const std::string& flags = "") {
    MatchScratch scratch;
    return compiled(pattern, flags).search(text, scratch).has_value();
}

}  // namespace

TEST_CASE("PcreRegex: compiles with the JIT and reports the match span", "[spam][regex]") {
    MatchScratch scratch;
    const auto re = compiled("b+c");
    CHECK(re.jit());
    const auto m = re.search("aabbbcd", scratch);
    REQUIRE(m);
    CHECK(m->begin == 2);
    CHECK(m->end == 6);
    CHECK_FALSE(re.search("aabbbd", scratch));
}

TEST_CASE("PcreRegex: search from a start offset sees the text before it", "[spam][regex]") {
    MatchScratch scratch;
    const auto re = compiled(R"(\bfoo)");
    CHECK(re.search("xfoo foo", scratch, 1)->begin == 5);  // \b looks back at 'x'
    CHECK_FALSE(re.search("foo", scratch, 4));
}

TEST_CASE("PcreRegex: bad patterns fail with PCRE2's message", "[spam][regex]") {
    auto r = PcreRegex::compile(spec("a(b"));
    REQUIRE_FALSE(r);
    CHECK(r.error().code == mw::ErrorCode::Invalid);
    CHECK(r.error().message.find("offset 3") != std::string::npos);
    CHECK_FALSE(PcreRegex::compile(spec("a[b")));
    CHECK_FALSE(PcreRegex::compile(spec("(*UTF)a")));  // never UTF, as Perl on byte strings
}

TEST_CASE("PcreRegex: a pattern over kMaxRegexPattern is refused, at the limit accepted",
          "[spam][regex]") {
    // Padded with a comment: PCRE2's own compiled-size bound is far lower for literals.
    std::string pattern = "a(?#" + std::string(mw::limits::kMaxRegexPattern - 6, 'x') + ")b";
    REQUIRE(pattern.size() == mw::limits::kMaxRegexPattern);
    CHECK(PcreRegex::compile(spec(pattern)));
    pattern.insert(0, "a");
    auto r = PcreRegex::compile(spec(pattern));
    REQUIRE_FALSE(r);
    CHECK(r.error().code == mw::ErrorCode::TooLong);
}

TEST_CASE("PcreRegex: flags i m s x", "[spam][regex]") {
    CHECK_FALSE(matches("viagra", "VIAGRA"));
    CHECK(matches("viagra", "ViAgRa", "i"));
    CHECK_FALSE(matches("^b", "a\nb"));
    CHECK(matches("^b", "a\nb", "m"));
    CHECK(matches("a$", "a\nb", "m"));
    CHECK_FALSE(matches("a.b", "a\nb"));
    CHECK(matches("a.b", "a\nb", "s"));
    CHECK_FALSE(matches("a b c", "abc"));
    CHECK(matches("a b c  # comment\n d", "abcd", "x"));
    CHECK(matches("a[ ]b", "a b", "x"));  // blanks in a class are kept under /x, as in Perl
    CHECK(matches("(?i)abc", "ABC"));
    CHECK(matches("a(?i:b)c", "aBc"));
    CHECK_FALSE(matches("a(?i:b)c", "aBC"));
    CHECK(matches("(?s-i:A.b)", "A\nb", "i"));
}

TEST_CASE("PcreRegex: Perl anchors $ \\z \\Z", "[spam][regex]") {
    CHECK(matches("abc$", "abc\n"));       // Perl: $ matches before a final newline
    CHECK_FALSE(matches("abc$", "abc\n\n"));
    CHECK(matches(R"(abc\Z)", "abc\n"));
    CHECK_FALSE(matches(R"(abc\z)", "abc\n"));
    CHECK(matches(R"(abc\z)", "xabc"));
    CHECK(matches("a.$", "a\r\n"));         // "." takes the \r, $ is before the final \n
    CHECK_FALSE(matches("a$", "a\r\n"));     // \r is no line end for Perl
    CHECK_FALSE(matches("^b", "a\rb", "m"));  // only \n ends a line for Perl
}

TEST_CASE("PcreRegex: \\b \\w \\d \\s are ASCII-only on bytes (qr//aa)", "[spam][regex]") {
    CHECK(matches(R"(\bcialis\b)", "buy cialis now"));
    CHECK_FALSE(matches(R"(\bcialis\b)", "buycialis"));
    CHECK(matches(R"(\bcialis\b)", "\xe9" "cialis"));  // Latin-1 é is not a word byte
    CHECK_FALSE(matches(R"(\w)", "\xe9\xfc"));
    CHECK_FALSE(matches(R"(\d)", "\xb2"));
    CHECK(matches(R"(\s)", "\x0b"));                   // Perl 5.18+: \s includes VT
    CHECK_FALSE(matches(R"(\s)", "\xa0"));
    CHECK_FALSE(matches("\xe9", "\xc9", "i"));          // no Latin-1 case folding
    CHECK(matches("\xe9t\xe9", "\xe9T\xe9", "i"));
}

TEST_CASE("PcreRegex: POSIX classes, \\Q..\\E, atomic and possessive, \\K", "[spam][regex]") {
    CHECK(matches("^[[:alpha:]]+[[:digit:]]$", "abc1"));
    CHECK_FALSE(matches("^[[:upper:]]", "abc"));
    CHECK(matches("^[[:upper:]]", "abc", "i"));
    CHECK(matches(R"(\Qa.b*c\E)", "xa.b*cx"));
    CHECK_FALSE(matches(R"(\Qa.b*c\E)", "aXbbbc"));
    CHECK_FALSE(matches("(?>a+)ab", "aaab"));
    CHECK_FALSE(matches("a++ab", "aaab"));
    CHECK(matches("a+ab", "aaab"));
    MatchScratch scratch;
    const auto m = compiled(R"(foo\Kbar)").search("xfoobar", scratch);
    REQUIRE(m);
    CHECK(m->begin == 4);
    CHECK(m->end == 7);
}

TEST_CASE("PcreRegex: unescaped { and Perl 5.34 quantifiers", "[spam][regex]") {
    CHECK(matches("x{", "ax{"));
    CHECK(matches("%{GB_TO_ADDR}", "#%{GB_TO_ADDR}"));
    CHECK(matches("^ab{,2}c$", "ac"));
    CHECK(matches("^ab{,2}c$", "abbc"));
    CHECK_FALSE(matches("^ab{,2}c$", "abbbc"));
    CHECK(matches("^ab{1, 2}c$", "abbc"));
    CHECK(matches(R"(\x{41})", "A"));
}

TEST_CASE("PcreRegex: lookaround and backreferences", "[spam][regex]") {
    CHECK(matches("(?<!un)subscribe", "please subscribe"));
    CHECK_FALSE(matches("(?<!un)subscribe", "unsubscribe"));
    CHECK(matches(R"((\w)\1\1)", "zzz"));
    CHECK_FALSE(matches(R"((\w)\1\1)", "zyz"));
    CHECK(matches("click(?= here)", "click here"));
}

TEST_CASE("PcreRegex: catastrophic backtracking stops at the limit", "[spam][regex]") {
    MatchScratch scratch;
    const auto re = compiled("(a+)+$");
    const std::string text = std::string(64, 'a') + "b";
    bool limited = false;
    const auto t0 = std::chrono::steady_clock::now();
    CHECK_FALSE(re.search(text, scratch, 0, &limited));
    const auto ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0);
    CHECK(limited);
    WARN("(a+)+$ on 64 a's + b stopped after " << ms.count() << " ms");
    // The scratch stays usable, and an ordinary search does not report a limit.
    CHECK(compiled("a+b").search(text, scratch, 0, &limited));
    CHECK_FALSE(limited);
}

TEST_CASE("PcreRegex: a plain search of a large text stays under the limits", "[spam][regex]") {
    MatchScratch scratch;
    std::string text;
    while (text.size() < 1024 * 1024) text += "some ordinary words of a message body, line\n";
    bool limited = true;
    CHECK_FALSE(compiled(R"(\bviagra\b.{0,20}\bcheap)", "i").search(text, scratch, 0, &limited));
    CHECK_FALSE(limited);
    CHECK_FALSE(compiled(R"(^\s*[a-z]+\s+[a-z]+\s+\d)", "m").search(text, scratch, 0, &limited));
    CHECK_FALSE(limited);
}

TEST_CASE("PcreRegex: count() counts non-overlapping matches up to max", "[spam][regex]") {
    MatchScratch scratch;
    const auto re = compiled("ab");
    CHECK(re.count("ab ab abab", scratch, 100) == 4);
    CHECK(re.count("ab ab abab", scratch, 3) == 3);
    CHECK(re.count("ab ab abab", scratch, 0) == 0);
    CHECK(re.count("", scratch, 10) == 0);
    CHECK(compiled("aa").count("aaaaa", scratch, 10) == 2);
    // Empty matches as Perl's while (//g): one per position, none twice at one place.
    CHECK(compiled("x*").count("axxb", scratch, 10) == 4);  // "", "xx", "", ""
    CHECK(compiled("").count("abc", scratch, 10) == 4);
    CHECK(compiled("^", "m").count("a\nb\n", scratch, 10) == 2);
}

TEST_CASE("PcreRegex: moved-from scratch and regex keep working", "[spam][regex]") {
    MatchScratch a;
    MatchScratch b(std::move(a));
    auto re = compiled("x");
    PcreRegex moved(std::move(re));
    CHECK(moved.search("axb", b));
    a = std::move(b);
    CHECK(moved.search("axb", a));
}
