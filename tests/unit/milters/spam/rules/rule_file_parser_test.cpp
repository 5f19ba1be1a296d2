#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <unistd.h>

#include "common/base/limits.hpp"
#include "milters/spam/rules/rule_file_parser.hpp"

using namespace mw::spam;
using Kind = RuleDiagnostic::Kind;
using M = HeaderTarget::Modifier;

namespace {

RuleSet load(const std::string& text, std::set<std::string> plugins = {}) {
    RuleParserOptions options;
    options.plugins = std::move(plugins);
    RuleFileParser parser(options);
    REQUIRE(parser.load_text(text, "/etc/test.cf"));
    return parser.finish();
}

std::vector<RuleDiagnostic> of_kind(const RuleSet& set, Kind kind) {
    std::vector<RuleDiagnostic> out;
    for (const auto& d : set.diagnostics)
        if (d.kind == kind) out.push_back(d);
    return out;
}

// One Error at /etc/test.cf:LINE and no rule named `rule`.
void check_error_at(const std::string& text, int line, const std::string& rule) {
    INFO(text);
    const RuleSet set = load(text);
    const auto errors = of_kind(set, Kind::Error);
    REQUIRE(errors.size() == 1);
    CHECK(errors[0].where.file == "/etc/test.cf");
    CHECK(errors[0].where.line == line);
    CHECK(set.find(rule) == nullptr);
}

struct TempDir {
    std::filesystem::path path;
    TempDir() {
        path = std::filesystem::temp_directory_path() / ("mw_rules_" + std::to_string(getpid()));
        std::filesystem::create_directories(path);
    }
    ~TempDir() { std::filesystem::remove_all(path); }
    std::string write(const std::string& name, const std::string& text) const {
        std::ofstream(path / name) << text;
        return (path / name).string();
    }
};

}  // namespace

TEST_CASE("RuleFileParser: header rules, ops, modifiers, if-unset", "[milters][spam][rules]") {
    const RuleSet set = load(
        "header H1 Subject =~ /viagra/i\n"
        "header H2 From:addr !~ /\\@example\\.com$/ [if-unset: nobody@example.com]\n"
        "header H3 exists:X-Mailer\n"
        "header H4 eval:check_for_missing_to_header()\n"
        "header H5 ALL =~ /^X-Foo/m\n"
        "header H6 ToCc:raw:first =~ /a/\n"
        "header H7 MESSAGEID =~ /b/\n"
        "header H8 EnvelopeFrom:name:last =~ /c/\n"
        "header H9 Received:host:domain =~ /d/\n"
        "header H10 X-A:ip:revip =~ /e/\n"
        "header H11 rbleval:check_rbl('a', 'zen.example.', '127.0.0.2')\n");
    CHECK(set.diagnostics.empty());
    REQUIRE(set.rules.size() == 11);
    const Rule& h1 = *set.find("H1");
    CHECK(h1.type == RuleType::Header);
    CHECK(h1.target.kind == HeaderTarget::Kind::Named);
    CHECK(h1.target.name == "Subject");
    CHECK(h1.regex->pattern == "viagra");
    CHECK(h1.regex->caseless);
    CHECK_FALSE(h1.negated);
    const Rule& h2 = *set.find("H2");
    CHECK(h2.negated);
    CHECK(h2.target.modifiers == std::vector<M>{M::Addr});
    CHECK(h2.if_unset == std::optional<std::string>("nobody@example.com"));
    CHECK(h2.regex->pattern == "\\@example\\.com$");
    CHECK(set.find("H3")->exists_test);
    CHECK(set.find("H3")->target.name == "X-Mailer");
    CHECK(set.find("H4")->eval->function == "check_for_missing_to_header");
    CHECK(set.find("H5")->target.kind == HeaderTarget::Kind::All);
    CHECK(set.find("H5")->regex->multiline);
    CHECK(set.find("H6")->target.kind == HeaderTarget::Kind::ToCc);
    CHECK(set.find("H6")->target.modifiers == std::vector<M>{M::Raw, M::First});
    CHECK(set.find("H7")->target.kind == HeaderTarget::Kind::MessageId);
    CHECK(set.find("H8")->target.kind == HeaderTarget::Kind::EnvelopeFrom);
    CHECK(set.find("H8")->target.modifiers == std::vector<M>{M::Name, M::Last});
    CHECK(set.find("H9")->target.modifiers == std::vector<M>{M::Host, M::Domain});
    CHECK(set.find("H10")->target.modifiers == std::vector<M>{M::Ip, M::Revip});
    const auto& rbl = *set.find("H11")->eval;
    CHECK(rbl.function == "check_rbl");
    CHECK(rbl.args == std::vector<std::string>{"a", "zen.example.", "127.0.0.2"});
}

TEST_CASE("RuleFileParser: body, rawbody, full, uri, mimeheader, evals", "[milters][spam][rules]") {
    const RuleSet set = load(
        "body B1 /free money/i\n"
        "body B2 eval:check_stock_info('5', 2.5)\n"
        "rawbody R1 m{<font\\s}i\n"
        "full F1 m!^Received:!m\n"
        "full F2 eval:check_razor2()\n"
        "uri U1 /^https?:\\/\\/bit\\.ly\\//\n"
        "mimeheader M1 Content-Type:raw =~ /charset=\"?koi8/i\n"
        "mimeheader M2 Content-Disposition !~ /inline/\n"
        "body B3 /a\\#b/  # a comment\n");
    CHECK(set.diagnostics.empty());
    CHECK(set.find("B1")->type == RuleType::Body);
    CHECK(set.find("B2")->eval->args == std::vector<std::string>{"5", "2.5"});
    CHECK(set.find("R1")->type == RuleType::Rawbody);
    CHECK(set.find("R1")->regex->pattern == "<font\\s");
    CHECK(set.find("F1")->type == RuleType::Full);
    CHECK(set.find("F2")->eval->function == "check_razor2");
    CHECK(set.find("U1")->type == RuleType::Uri);
    const Rule& m1 = *set.find("M1");
    CHECK(m1.type == RuleType::Mimeheader);
    CHECK(m1.target.name == "Content-Type");
    CHECK(m1.target.modifiers == std::vector<M>{M::Raw});
    CHECK(set.find("M2")->negated);
    CHECK(set.find("B3")->regex->pattern == "a#b");   // \# unescaped, comment removed
}

TEST_CASE("RuleFileParser: scores, defaults, describe, tflags, priority", "[milters][spam][rules]") {
    const RuleSet set = load(
        "score ONE 2.5\n"                       // before the definition, as 50_scores.cf
        "body ONE /one/\n"
        "body FOUR /four/\n"
        "score FOUR 0 1.5 -2 3.25\n"
        "body DEFAULT /d/\n"
        "body T_TESTING /t/\n"
        "body __SUB /s/\n"
        "score __SUB 3\n"
        "body NICE /n/\n"
        "tflags NICE nice learn\n"
        "body ZERO /z/\n"
        "score ZERO 0\n"
        "body NET /x/\n"
        "tflags NET net multiple maxhits=5 publish noautolearn userconf autolearn_force weird\n"
        "describe ONE The first rule\n"
        "priority ONE -50\n"
        "score ONE (0.5)\n"                     // relative to the previous score
        "score NOTDEFINED 4\n");
    CHECK(of_kind(set, Kind::Error).empty());
    CHECK(set.find("ONE")->scores == std::array<double, 4>{3, 3, 3, 3});
    CHECK(set.find("ONE")->score_given);
    CHECK(set.find("ONE")->description == "The first rule");
    CHECK(set.find("ONE")->priority == -50);
    CHECK(set.find("FOUR")->scores == std::array<double, 4>{0, 1.5, -2, 3.25});
    CHECK(set.find("DEFAULT")->scores == std::array<double, 4>{1, 1, 1, 1});
    CHECK_FALSE(set.find("DEFAULT")->score_given);
    CHECK(set.find("T_TESTING")->scores[0] == Approx(0.01));
    CHECK(set.find("__SUB")->scores == std::array<double, 4>{0, 0, 0, 0});
    CHECK(set.find("NICE")->scores[2] == -1.0);
    CHECK(set.find("NICE")->flags.learn);
    CHECK(set.find("ZERO")->scores == std::array<double, 4>{0, 0, 0, 0});   // kept, scores 0
    const RuleFlags& f = set.find("NET")->flags;
    CHECK(f.net);
    CHECK(f.multiple);
    CHECK(f.maxhits == 5);
    CHECK(f.publish);
    CHECK(f.noautolearn);
    CHECK(f.userconf);
    CHECK(f.autolearn_force);
    CHECK_FALSE(f.nice);
    CHECK(set.find("NET")->priority == -100);   // net rules default to -100
    CHECK(set.find("NOTDEFINED") == nullptr);
}

TEST_CASE("RuleFileParser: globals", "[milters][spam][rules]") {
    const RuleSet set = load(
        "required_score 6.5\n"
        "rewrite_header Subject *****SPAM*****\n"
        "freemail_domains gmail.com Yahoo.com\n"
        "freemail_domains gmail.com *.hotmail.com\n"
        "redirector_pattern /^http:\\/\\/chkpt\\.zdnet\\.com\\/chkpt\\/\\w+\\/(.*)$/i\n"
        "required_hits 7\n");
    CHECK(set.required_score == 7);
    CHECK(set.subject_tag == "*****SPAM*****");
    CHECK(set.freemail_domains == std::vector<std::string>{"gmail.com", "yahoo.com", "*.hotmail.com"});
    REQUIRE(set.redirector_patterns.size() == 1);
    CHECK(of_kind(set, Kind::Error).empty());
}

TEST_CASE("RuleFileParser: FreeMail settings keep SA's defaults until set", "[milters][spam][rules]") {
    const RuleSet defaults = load("freemail_domains gmail.com\n");
    CHECK(defaults.freemail.max_body_emails == 5);
    CHECK(defaults.freemail.max_body_freemails == 3);
    CHECK(defaults.freemail.skip_when_over_max == 1);
    CHECK(defaults.freemail.skip_bulk_envfrom == 1);
    CHECK(defaults.freemail.welcomelist.empty());

    const RuleSet set = load(
        "freemail_max_body_emails 10\n"
        "freemail_max_body_freemails 4\n"
        "freemail_skip_when_over_max 0\n"
        "freemail_skip_bulk_envfrom 0\n"
        "freemail_welcomelist Jobs@Gmail.com\n"
        "freemail_whitelist yahoo.example\n");
    CHECK(set.freemail.max_body_emails == 10);
    CHECK(set.freemail.max_body_freemails == 4);
    CHECK(set.freemail.skip_when_over_max == 0);
    CHECK(set.freemail.skip_bulk_envfrom == 0);
    CHECK(set.freemail.welcomelist == std::set<std::string, std::less<>>{"jobs@gmail.com", "yahoo.example"});
    CHECK(of_kind(set, Kind::Error).empty());
}

TEST_CASE("RuleFileParser: bad FreeMail settings are errors, good entries stay", "[milters][spam][rules]") {
    const RuleSet set = load(
        "freemail_max_body_emails many\n"
        "freemail_welcomelist ok@example.com nodot also.example\n");
    const auto errors = of_kind(set, Kind::Error);
    REQUIRE(errors.size() == 2);
    CHECK(errors[0].where.line == 1);
    CHECK(errors[1].message.find("nodot") != std::string::npos);
    CHECK(set.freemail.max_body_emails == 5);
    CHECK(set.freemail.welcomelist == std::set<std::string, std::less<>>{"ok@example.com", "also.example"});
}

TEST_CASE("RuleFileParser: ifplugin / if / else nesting", "[milters][spam][rules]") {
    const std::string text =
        "ifplugin Mail::SpamAssassin::Plugin::DKIM\n"
        "  body IN_DKIM /a/\n"
        "  if (version >= 3.004000)\n"
        "    body IN_DKIM_NEW /b/\n"
        "  else\n"
        "    body IN_DKIM_OLD /c/\n"
        "  endif\n"
        "else\n"
        "  body NO_DKIM /d/\n"
        "  if version >= 3\n"
        "    body NO_DKIM_INNER /e/\n"
        "  else\n"
        "    body NO_DKIM_ELSE /f/\n"   // Bug 7848: stays skipped when an outer block is
        "  endif\n"
        "endif\n"
        "if !plugin(Mail::SpamAssassin::Plugin::SPF) && can(Mail::SpamAssassin::Conf::feature_bug6558_free)\n"
        "  body NO_SPF /g/\n"
        "endif\n"
        "body AFTER /h/\n";
    const RuleSet with = load(text, {"Mail::SpamAssassin::Plugin::DKIM"});
    CHECK(with.find("IN_DKIM"));
    CHECK(with.find("IN_DKIM_NEW"));
    CHECK_FALSE(with.find("IN_DKIM_OLD"));
    CHECK_FALSE(with.find("NO_DKIM"));
    CHECK_FALSE(with.find("NO_DKIM_INNER"));
    CHECK_FALSE(with.find("NO_DKIM_ELSE"));
    CHECK(with.find("NO_SPF"));
    CHECK(with.find("AFTER"));
    const RuleSet without = load(text);
    CHECK_FALSE(without.find("IN_DKIM"));
    CHECK_FALSE(without.find("IN_DKIM_NEW"));
    CHECK(without.find("NO_DKIM"));
    CHECK(without.find("NO_DKIM_INNER"));
    CHECK_FALSE(without.find("NO_DKIM_ELSE"));
    CHECK(without.find("AFTER"));
    CHECK(with.diagnostics.empty());
}

TEST_CASE("RuleFileParser: unbalanced if/endif", "[milters][spam][rules]") {
    RuleFileParser open({});
    auto r = open.load_text("if version > 1\nbody A /a/\n", "/etc/x.cf");
    REQUIRE_FALSE(r);
    REQUIRE(r.error().pos);
    CHECK(r.error().pos->line == 1);
    check_error_at("body A /a/\nendif\n", 2, "none");
    check_error_at("body A /a/\nelse\n", 2, "none");
}

TEST_CASE("RuleFileParser: if nesting bound", "[milters][spam][rules]") {
    using mw::limits::kMaxSpamIfDepth;
    std::string ok, too_deep;
    for (int i = 0; i < kMaxSpamIfDepth; ++i) ok += "if 1\n";
    for (int i = 0; i < kMaxSpamIfDepth; ++i) ok += "endif\n";
    RuleFileParser a({});
    CHECK(a.load_text(ok, "ok.cf"));
    too_deep = "if 1\n" + ok + "endif\n";
    RuleFileParser b({});
    auto r = b.load_text(too_deep, "deep.cf");
    REQUIRE_FALSE(r);
    CHECK(r.error().code == mw::ErrorCode::TooLong);
}

TEST_CASE("RuleFileParser: line length bound", "[milters][spam][rules]") {
    using mw::limits::kMaxSpamRuleLine;
    const std::string at_limit = "body A /" + std::string(kMaxSpamRuleLine - 9, 'x') + "/";
    REQUIRE(at_limit.size() == kMaxSpamRuleLine);
    RuleFileParser a({});
    CHECK(a.load_text(at_limit, "a.cf"));
    RuleFileParser b({});
    auto r = b.load_text(at_limit + "x", "b.cf");
    REQUIRE_FALSE(r);
    CHECK(r.error().code == mw::ErrorCode::TooLong);
}

TEST_CASE("RuleFileParser: malformed lines are errors at FILE:LINE", "[milters][spam][rules]") {
    check_error_at("body OK /a/\nbody BAD foo\n", 2, "BAD");               // no delimiters
    check_error_at("body BAD /foo/bar/\n", 1, "BAD");                      // unquoted delimiter
    check_error_at("\n\nheader BAD Subject ~= /x/\n", 3, "BAD");            // unknown op
    check_error_at("header BAD Subject:bogus =~ /x/\n", 1, "BAD");          // unknown modifier
    check_error_at("header BAD exists:Bad Name\n", 1, "BAD");
    check_error_at("body\n", 1, "");                                         // missing name
    check_error_at("body 9BAD /x/\n", 1, "9BAD");                             // invalid name
    check_error_at("body ONLYNAME\n", 1, "ONLYNAME");
    check_error_at("body OK /a/\nscore OK x\n", 2, "none");                   // bad score
    check_error_at("body OK /a/\nscore OK 1 2\n", 2, "none");                 // 2 scores
    check_error_at("body OK /a/\nscore OK (1)\n", 2, "none");                 // relative, no previous
    check_error_at("meta BAD A &&\n", 1, "BAD");
    check_error_at("meta BAD A / B\n", 1, "BAD");                              // SA: division by zero possible
    check_error_at("body BAD eval:fn(\n", 1, "BAD");
    check_error_at("body BAD eval:fn('a' 'b')\n", 1, "BAD");
    check_error_at("uri BAD eval:check_x()\n", 1, "BAD");
    check_error_at("mimeheader BAD Content-Type:addr =~ /x/\n", 1, "BAD");
    check_error_at("priority OK x\n", 1, "none");
    check_error_at("required_score lots\n", 1, "none");
    check_error_at("if plugin(\nendif\n", 1, "none");
    // The rest of the file still loads.
    const RuleSet set = load("body BAD /x\nbody GOOD /y/\n");
    CHECK(set.find("GOOD"));
}

TEST_CASE("RuleFileParser: redefinition replaces; ignored and silent lines", "[milters][spam][rules]") {
    const RuleSet set = load(
        "body TWICE /first/\n"
        "body OTHER /o/\n"
        "header TWICE Subject =~ /second/\n"
        "lang de describe OTHER Andere\n"
        "lang en describe OTHER English\n"
        "test TWICE ok second\n"
        "reuse TWICE\n"
        "util_rb_tld com\n"
        "def_welcomelist_auth *@example.com\n");
    REQUIRE(set.rules.size() == 2);
    CHECK(set.rules[0].name == "TWICE");             // first position kept
    CHECK(set.rules[0].type == RuleType::Header);
    CHECK(set.rules[0].regex->pattern == "second");
    CHECK(set.find("OTHER")->description == "English");
    const auto ignored = of_kind(set, Kind::Ignored);
    REQUIRE(ignored.size() == 2);
    CHECK(ignored[0].where.line == 8);
    CHECK(of_kind(set, Kind::Error).empty());
}

TEST_CASE("RuleFileParser: metas, unknown references, cycles, net inheritance", "[milters][spam][rules]") {
    const RuleSet set = load(
        "body A /a/\n"
        "header N eval:check_rbl('x', 'y.')\n"
        "tflags N net\n"
        "meta M1 A && !MISSING\n"
        "meta M2 M1 || N\n"
        "meta LOOP1 LOOP2 && A\n"
        "meta LOOP2 LOOP1\n"
        "meta EMPTY ()\n");
    CHECK(set.find("M1")->meta == "A && !MISSING");
    const auto unsupported = of_kind(set, Kind::Unsupported);
    REQUIRE(unsupported.size() == 1);
    CHECK(unsupported[0].rule == "M1");
    CHECK(unsupported[0].where.line == 4);
    CHECK(unsupported[0].message.find("MISSING") != std::string::npos);
    CHECK(of_kind(set, Kind::Error).size() == 2);       // LOOP1, LOOP2 excluded
    CHECK_FALSE(set.find("LOOP1"));
    CHECK_FALSE(set.find("LOOP2"));
    CHECK(set.find("M2")->flags.net);                   // via N
    CHECK_FALSE(set.find("M1")->flags.net);
    CHECK(set.find("EMPTY"));
    for (std::size_t i = 0; i < set.rules.size(); ++i) CHECK(set.index.at(set.rules[i].name) == i);
}

TEST_CASE("RuleFileParser: include, directories, require_version", "[milters][spam][rules]") {
    TempDir dir;
    dir.write("20_b.cf", "include sub.inc\nbody B /b/\n");
    dir.write("sub.inc", "body SUB /s/\ninclude missing.inc\n");
    dir.write("10_a.cf", "body A /a/\nscore B 4\n");
    dir.write("30_c.cf", "require_version 3.003000\nbody SKIPPED /c/\n");
    dir.write("notes.txt", "body NOT_CF /x/\n");
    RuleFileParser parser({});
    REQUIRE(parser.load_path(dir.path.string()));
    const RuleSet set = parser.finish();
    REQUIRE(set.rules.size() == 3);
    CHECK(set.rules[0].name == "A");      // files in name order
    CHECK(set.rules[1].name == "SUB");
    CHECK(set.rules[2].name == "B");
    CHECK(set.find("B")->scores[0] == 4);
    CHECK(set.find("SUB")->defined_at.file == (dir.path / "sub.inc").string());
    const auto errors = of_kind(set, Kind::Error);
    REQUIRE(errors.size() == 1);           // the missing include
    CHECK(errors[0].where.line == 2);

    dir.write("self.cf", "include self.cf\n");
    RuleFileParser loop({});
    auto r = loop.load_path((dir.path / "self.cf").string());
    REQUIRE_FALSE(r);
    CHECK(r.error().code == mw::ErrorCode::TooLong);
}
