#include "tests/unit/milters/spam/scan/scan_fixture.hpp"

using namespace mw::spam;
using namespace mw::spam::test;

namespace {

std::string message(const std::string& headers, const std::string& body = "hello\n") {
    return headers + "\n" + body;
}

bool hits(const std::string& rule_line, const std::string& raw, Envelope env = {}, AuthFacts auth = {}) {
    auto rules = compile_rules(rule_line + "\n");
    const auto& name = rules.rule(0).name;
    INFO(rule_line);
    REQUIRE(rules.status(0).state == RuleState::Runnable);
    return scan(rules, raw, std::move(env), std::move(auth)).hit(name);
}

}  // namespace

TEST_CASE("eval: check_for_missing_to_header") {
    const std::string rule = "header MISSING_HEADERS eval:check_for_missing_to_header()";
    CHECK(hits(rule, message("From: a@example.com\nSubject: x\n")));
    CHECK_FALSE(hits(rule, message("From: a@example.com\nTo: b@example.net\n")));
    CHECK_FALSE(hits(rule, message("From: a@example.com\nApparently-To: b@example.net\n")));
}

TEST_CASE("eval: check_equal_from_domains compares From with the envelope sender") {
    const std::string rule = "header HEADER_FROM_DIFFERENT_DOMAINS eval:check_equal_from_domains()";
    const std::string m = message("From: a@mail.example.com\nTo: b@example.net\n");
    Envelope same, other, none;
    same.mail_from = "bounce@lists.example.com";   // same second-level domain
    other.mail_from = "bounce@example.org";
    CHECK_FALSE(hits(rule, m, same));
    CHECK(hits(rule, m, other));
    CHECK_FALSE(hits(rule, m, none));
}

TEST_CASE("eval: subject_is_all_caps") {
    const std::string rule = "header SUBJ_ALL_CAPS eval:subject_is_all_caps()";
    CHECK(hits(rule, message("Subject: MAKE MONEY FAST NOW\n")));
    CHECK(hits(rule, message("Subject: Re: FREE OFFER INSIDE\n")));
    CHECK_FALSE(hits(rule, message("Subject: Make money fast\n")));
    CHECK_FALSE(hits(rule, message("Subject: SHORT ONE\n")));          // under 10 characters
    CHECK_FALSE(hits(rule, message("Subject: ONEWORDSUBJECTHERE\n")));  // one word
    CHECK_FALSE(hits(rule, message("Subject: =?koi8-r?B?89DP0tTJ1w==?= ABCDEFGH IJK\n")));
}

TEST_CASE("eval: check_for_shifted_date compares Date with the Received dates") {
    const std::string future = "header DATE_IN_FUTURE_06_12 eval:check_for_shifted_date('6', '12')";
    const std::string past = "header DATE_IN_PAST_96_XX eval:check_for_shifted_date('undef', '-96')";
    const std::string rcvd = "Received: from a by b; Tue, 24 Nov 2026 10:00:00 +0000\n";
    CHECK(hits(future, message(rcvd + "Date: Tue, 24 Nov 2026 18:00:00 +0000\n")));
    CHECK_FALSE(hits(future, message(rcvd + "Date: Tue, 24 Nov 2026 11:00:00 +0000\n")));
    CHECK(hits(past, message(rcvd + "Date: Tue, 10 Nov 2026 10:00:00 +0000\n")));
    CHECK_FALSE(hits(past, message("Date: Tue, 10 Nov 2026 10:00:00 +0000\n")));   // no Received: no diff
}

TEST_CASE("eval: check_outlook_message_id") {
    const std::string rule = "header MSGID_OUTLOOK_INVALID eval:check_outlook_message_id()";
    // The time token of an Outlook id must match the Date: (within a fudge factor).
    const double t = 1030000000;   // 2002-08-22
    char id[64];
    std::snprintf(id, sizeof id, "<0000%08llx$0123abcd$0123abcd@host>",
                  static_cast<unsigned long long>(t * 0.0023283064365387 + 27111902.8329849));
    const std::string good = message(std::string("Message-Id: ") + id + "\nDate: Thu, 22 Aug 2002 07:06:40 +0000\n");
    const std::string bad = message(std::string("Message-Id: ") + id + "\nDate: Thu, 22 Aug 2012 07:06:40 +0000\n");
    CHECK_FALSE(hits(rule, good));
    CHECK(hits(rule, bad));
    CHECK_FALSE(hits(rule, message("Message-Id: <plain@example.com>\n")));
}

TEST_CASE("eval: similar_recipients") {
    const std::string rule = "header SUSPICIOUS_RECIPS eval:similar_recipients('0.5','undef')";
    CHECK(hits(rule, message("To: aa1@xa.example, aa2@xb.example, aa3@xc.example, aa4@xd.example, aa5@xe.example\n")));
    CHECK_FALSE(hits(rule, message("To: joe@a.example, mary@b.example, kim@c.example, lee@d.example, pat@e.example\n")));
    CHECK_FALSE(hits(rule, message("To: aa1@x.example, aa2@x.example\n")));   // under 5 addresses
}

TEST_CASE("eval: freemail tests use the rule files' freemail_domains") {
    const std::string cf = "freemail_domains freemail.example *.webmail.example yahoo.co*.* mail?.example\n";
    auto rules = compile_rules(cf + "header FREEMAIL_FROM eval:check_freemail_from()\n"
                                    "header FREEMAIL_REPLYTO_END_DIGIT eval:check_freemail_header('Reply-To', '\\d@')\n");
    CHECK(scan(rules, message("From: joe@freemail.example\n")).hit("FREEMAIL_FROM"));
    CHECK(scan(rules, message("From: joe@eu.webmail.example\n")).hit("FREEMAIL_FROM"));
    CHECK_FALSE(scan(rules, message("From: joe@company.example\n")).hit("FREEMAIL_FROM"));
    CHECK(scan(rules, message("From: joe@yahoo.co.uk\n")).hit("FREEMAIL_FROM"));
    CHECK(scan(rules, message("From: joe@yahoo.com.ar\n")).hit("FREEMAIL_FROM"));
    CHECK_FALSE(scan(rules, message("From: joe@yahoo.co.uk.evil\n")).hit("FREEMAIL_FROM"));
    CHECK(scan(rules, message("From: joe@mail2.example\n")).hit("FREEMAIL_FROM"));
    CHECK_FALSE(scan(rules, message("From: joe@mail22.example\n")).hit("FREEMAIL_FROM"));
    CHECK_FALSE(scan(rules, message("From: postmaster@freemail.example\n")).hit("FREEMAIL_FROM"));
    CHECK(scan(rules, message("Reply-To: joe77@freemail.example\n")).hit("FREEMAIL_REPLYTO_END_DIGIT"));
    CHECK_FALSE(scan(rules, message("Reply-To: joe@freemail.example\n")).hit("FREEMAIL_REPLYTO_END_DIGIT"));
}

TEST_CASE("eval: MIME tests") {
    const std::string only = "body MIME_HTML_ONLY eval:check_for_mime_html_only()";
    CHECK(hits(only, message("Content-Type: text/html\n", "<p>hi</p>\n")));
    CHECK_FALSE(hits(only, message("Content-Type: text/plain\n")));
    const std::string alt =
        "MIME-Version: 1.0\nContent-Type: multipart/alternative; boundary=B\n\n"
        "--B\nContent-Type: text/plain\n\nx\n--B\nContent-Type: text/html\n\n"
        "<html><body>" + std::string(400, 'y') + "</body></html>\n--B--\n";
    const std::string ratio = "body MIME_HTML_MOSTLY eval:check_mime_multipart_ratio('0.00','0.10')";
    CHECK(hits(ratio, "From: a@example.com\n" + alt));
    CHECK_FALSE(hits(only, "From: a@example.com\n" + alt));
    CHECK(hits("body HTML_MESSAGE eval:html_test('html')", message("Content-Type: text/html\n", "<p>hi</p>\n")));
    CHECK_FALSE(hits("body HTML_MESSAGE eval:html_test('html')", message("Subject: x\n")));
}

TEST_CASE("eval: SPF and DKIM tests read our recorded results, also as net rules") {
    AuthFacts pass;
    pass.spf = "pass";
    pass.dkim_pass_domains = {"example.com"};
    pass.dkim_signed = true;
    const std::string m = message("From: Joe <joe@example.com>\n");
    CHECK(hits("header SPF_PASS eval:check_for_spf_pass()\ntflags SPF_PASS net", m, {}, pass));
    CHECK_FALSE(hits("header SPF_FAIL eval:check_for_spf_fail()", m, {}, pass));
    CHECK(hits("full DKIM_VALID eval:check_dkim_valid()\ntflags DKIM_VALID net", m, {}, pass));
    CHECK(hits("full DKIM_VALID_AU eval:check_dkim_valid_author_sig()", m, {}, pass));
    CHECK(hits("full DKIM_SIGNED eval:check_dkim_signed()", m, {}, pass));
    CHECK_FALSE(hits("full DKIM_VALID_AU eval:check_dkim_valid_author_sig()",
                     message("From: joe@other.example\n"), {}, pass));
    CHECK(hits("full R eval:check_dkim_valid('linkedin.com','example.com')", m, {}, pass));
    CHECK_FALSE(hits("full R eval:check_dkim_valid('linkedin.com')", m, {}, pass));
    CHECK_FALSE(hits("header SPF_PASS eval:check_for_spf_pass()", m));
}

TEST_CASE("eval: arguments we cannot use make the rule unsupported") {
    auto rules = compile_rules(
        "header A eval:check_for_shifted_date('x', '1')\n"
        "body B eval:check_msg_parse_flags('no_such_flag')\n"
        "body C eval:html_test('no_such_html_property')\n"
        "header D eval:check_for_missing_to_header('extra')\n");
    for (uint32_t id = 0; id < 4; ++id) {
        INFO(rules.rule(id).name);
        CHECK(rules.status(id).state == RuleState::Unsupported);
    }
}
