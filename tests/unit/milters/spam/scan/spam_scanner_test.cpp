#include "tests/unit/milters/spam/scan/scan_fixture.hpp"

using namespace mw::spam;
using namespace mw::spam::test;

namespace {

const std::string kPlain =
    "From: Joe <joe@example.com>\n"
    "To: you@example.net\n"
    "Subject: Cheap watches for you\n"
    "Message-Id: <abc@example.com>\n"
    "\n"
    "Buy cheap watches now at http://www.watches.example/buy?x=1 today.\n"
    "Cheap watches. Cheap watches. Cheap watches.\n";

const std::string kHtml =
    "From: Joe <joe@example.com>\n"
    "To: you@example.net\n"
    "Subject: html\n"
    "MIME-Version: 1.0\n"
    "Content-Type: text/html; charset=us-ascii\n"
    "\n"
    "<html><body><p>Visible <b>words</b></p><a href=\"http://Click.Example/here\">x</a></body></html>\n";

}  // namespace

TEST_CASE("scanner: body, rawbody, uri and full rules see their own texts") {
    auto rules = compile_rules(
        "body BODY_WATCH /cheap watches/i\nscore BODY_WATCH 1.5\n"
        "body BODY_TAG /<b>/\n"
        "rawbody RAW_TAG /<b>words/\n"
        "body BODY_RENDERED /Visible words/\n"
        "uri URI_CLICK /click\\.example/i\n"
        "full FULL_MIME /^MIME-Version: 1\\.0$/m\n"
        "body BODY_SUBJECT /^html$/\n");
    auto html = scan(rules, kHtml);
    CHECK(html.hit("RAW_TAG"));
    CHECK(html.hit("BODY_RENDERED"));
    CHECK_FALSE(html.hit("BODY_TAG"));   // body rules see rendered text, not markup
    CHECK(html.hit("URI_CLICK"));
    CHECK(html.hit("FULL_MIME"));
    CHECK(html.hit("BODY_SUBJECT"));     // the Subject is the first body line, as in SA
    auto plain = scan(rules, kPlain);
    CHECK(plain.hit("BODY_WATCH"));
    CHECK_FALSE(plain.hit("RAW_TAG"));
    CHECK(plain.outcome.score == Approx(1.5));
}

TEST_CASE("scanner: header rules with negation, if-unset, exists and modifiers") {
    auto rules = compile_rules(
        "header H_SUBJ Subject =~ /cheap/i\n"
        "header H_NOT_SUBJ Subject !~ /cheap/i\n"
        "header H_UNSET X-Missing =~ /^yes/ [if-unset: yes]\n"
        "header H_UNDEF X-Missing =~ /^$/\n"
        "header H_EXISTS exists:Message-Id\n"
        "header H_NOT_EXISTS exists:X-Missing\n"
        "header H_ADDR From:addr =~ /^joe\\@example\\.com$/\n"
        "header H_NAME From:name =~ /^Joe$/\n"
        "header H_ALL ALL =~ /^To: you\\@example\\.net$/m\n");
    auto r = scan(rules, kPlain);
    for (const char* n : {"H_SUBJ", "H_UNSET", "H_UNDEF", "H_EXISTS", "H_ADDR", "H_NAME", "H_ALL"}) {
        INFO(n);
        CHECK(r.hit(n));
    }
    CHECK_FALSE(r.hit("H_NOT_SUBJ"));
    CHECK_FALSE(r.hit("H_NOT_EXISTS"));
}

TEST_CASE("scanner: a header with many rules matches them through one set, with the same results") {
    // Subject has five plain rules (a PatternSet), one negated and one exists test beside them;
    // X-Missing has five plain rules, matched one by one against "" or their if-unset text.
    auto rules = compile_rules(
        "header S1 Subject =~ /cheap/i\n"
        "header S2 Subject =~ /watch(?:es)?\\b/\n"
        "header S3 Subject =~ /^Cheap/\n"
        "header S4 Subject =~ /rolex/i\n"
        "header S5 Subject =~ /for you$/\n"
        "tflags S5 multiple\n"
        "header S_NOT Subject !~ /rolex/\n"
        "header S_EXISTS exists:Subject\n"
        "header M1 X-Missing =~ /^$/\n"
        "header M2 X-Missing =~ /^yes$/ [if-unset: yes]\n"
        "header M3 X-Missing =~ /never/\n"
        "header M4 X-Missing =~ /^no$/ [if-unset: yes]\n"
        "header M5 X-Missing =~ /./\n");
    REQUIRE(rules.header_groups().size() == 2);
    for (const auto& g : rules.header_groups()) CHECK(g.set.has_value());
    auto r = scan(rules, kPlain);
    for (const char* n : {"S1", "S2", "S3", "S5", "S_NOT", "S_EXISTS", "M1", "M2"}) {
        INFO(n);
        CHECK(r.hit(n));
    }
    for (const char* n : {"S4", "M3", "M4", "M5"}) {
        INFO(n);
        CHECK_FALSE(r.hit(n));
    }
}

TEST_CASE("scanner: metas, boolean and arithmetic, with tflags multiple counts") {
    auto rules = compile_rules(
        "body __WATCH /cheap watches/i\ntflags __WATCH multiple maxhits=3\n"
        "body __NOPE /zzzz/\n"
        "meta META_COUNT __WATCH > 2\n"
        "meta META_OR __NOPE || __WATCH\n"
        "meta META_AND __NOPE && __WATCH\n"
        "meta META_ARITH (__WATCH + __NOPE) * 2 >= 6\n"
        "meta META_UNDEFINED __WATCH && !__NOT_DEFINED_ANYWHERE\n");
    auto r = scan(rules, kPlain);
    CHECK(r.hit("META_COUNT"));      // 4 matches, capped at 3, > 2
    CHECK(r.hit("META_OR"));
    CHECK_FALSE(r.hit("META_AND"));
    CHECK(r.hit("META_ARITH"));
    CHECK(r.hit("META_UNDEFINED"));  // an undefined rule counts as 0, as in SpamAssassin
    CHECK_FALSE(r.hit("__WATCH"));   // sub-rules are never listed or scored
}

TEST_CASE("scanner: rules we cannot run never hit; metas over them are unsupported too") {
    auto rules = compile_rules(
        "body EVAL_MISSING eval:no_such_function_here()\n"
        "body __BODY /watches/\n"
        "meta META_OVER_MISSING __BODY || EVAL_MISSING\n"
        "header NET_RULE eval:check_for_missing_to_header()\ntflags NET_RULE net\n"
        "body ZERO_RULE /watches/\nscore ZERO_RULE 0\n");
    CHECK(rules.status(id_of(rules, "EVAL_MISSING")).state == RuleState::Unsupported);
    CHECK(rules.status(id_of(rules, "META_OVER_MISSING")).state == RuleState::Unsupported);
    CHECK(rules.status(id_of(rules, "NET_RULE")).state == RuleState::Off);
    CHECK(rules.status(id_of(rules, "ZERO_RULE")).state == RuleState::Off);
    auto r = scan(rules, kPlain);
    CHECK(r.names.empty());
    CHECK(r.outcome.score == 0);
}

TEST_CASE("scanner: a bad regex makes only its rule unsupported") {
    auto rules = compile_rules("body BAD_RE /(unclosed/\nbody GOOD_RE /watches/\n");
    CHECK(rules.status(id_of(rules, "BAD_RE")).state == RuleState::Unsupported);
    CHECK(scan(rules, kPlain).hit("GOOD_RE"));
}

TEST_CASE("scanner: mimeheader rules look at every part's own header block") {
    const std::string multi =
        "From: a@example.com\nTo: b@example.net\nSubject: parts\nMIME-Version: 1.0\n"
        "Content-Type: multipart/mixed; boundary=\"XX\"\n\n"
        "--XX\nContent-Type: text/plain\n\nhello\n"
        "--XX\nContent-Type: application/octet-stream; name=\"setup.exe\"\nContent-Transfer-Encoding: base64\n\nAAAA\n"
        "--XX--\n";
    auto rules = compile_rules(
        "mimeheader MH_EXE Content-Type =~ /name=\"?[^\"]*\\.exe/i\n"
        "mimeheader MH_ZIP Content-Type =~ /\\.zip/i\n");
    auto r = scan(rules, multi);
    CHECK(r.hit("MH_EXE"));
    CHECK_FALSE(r.hit("MH_ZIP"));
}

TEST_CASE("scanner: hits sorted by name and scores summed in score set 0") {
    auto rules = compile_rules(
        "body ZZ_LAST /watches/\nscore ZZ_LAST 1 2 3 4\n"
        "body AA_FIRST /Buy/\nscore AA_FIRST 0.5\n"
        "header MM_MID Subject =~ /watches/\n");   // default score 1.0
    auto r = scan(rules, kPlain);
    REQUIRE(r.names == std::vector<std::string>{"AA_FIRST", "MM_MID", "ZZ_LAST"});
    CHECK(r.outcome.score == Approx(2.5));
}

TEST_CASE("scanner: a passed deadline stops the text rules and says so") {
    auto rules = compile_rules("body B /watches/\nheader H Subject =~ /watches/\n");
    auto r = scan(rules, kPlain, {}, {}, mw::Deadline(mw::Clock::now() - std::chrono::seconds(1)));
    CHECK(r.outcome.timed_out);
    CHECK(r.hit("H"));        // header rules ran before the deadline check
    CHECK_FALSE(r.hit("B"));
}
