// Native MIMEEval / BodyEval / HeaderEval tests of eval_body.cpp and eval_misc.cpp: a hit and a
// miss each, on small hand-made messages.
#include "tests/unit/milters/spam/scan/scan_fixture.hpp"

using namespace mw::spam;
using namespace mw::spam::test;

namespace {

bool hits(const std::string& rule_line, const std::string& raw, Envelope env = {}) {
    auto rules = compile_rules(rule_line + "\n");
    INFO(rule_line);
    REQUIRE(rules.status(0).state == RuleState::Runnable);
    return scan(rules, raw, std::move(env)).hit(rules.rule(0).name);
}

bool unsupported(const std::string& rule_line) {
    auto rules = compile_rules(rule_line + "\n");
    return rules.status(0).state != RuleState::Runnable;
}

std::string multipart(const std::string& parts, const std::string& type = "mixed") {
    return "From: a@example.com\nSubject: t\nMIME-Version: 1.0\nContent-Type: multipart/" + type +
           "; boundary=\"XX\"\n\n" + parts;
}

}  // namespace

TEST_CASE("eval: check_for_mime items", "[spam][eval]") {
    const std::string b64 = "rawbody R eval:check_for_mime('mime_base64_count')";
    const std::string part = "--XX\nContent-Type: application/zip\nContent-Transfer-Encoding: base64\n\nUEsDBA==\n--XX--\n";
    CHECK(hits(b64, multipart(part)));
    CHECK_FALSE(hits(b64, multipart("--XX\nContent-Type: text/plain\n\nhi\n--XX--\n")));
    const std::string text = "rawbody R eval:check_for_mime('mime_base64_encoded_text')";
    CHECK(hits(text, "Content-Type: text/plain\nContent-Transfer-Encoding: base64\n\naGVsbG8=\n"));
    CHECK_FALSE(hits(text, "Content-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: base64\n\naGVsbG8=\n"));
    const std::string qp = "rawbody R eval:check_for_mime('mime_qp_long_line')";
    CHECK(hits(qp, "Content-Transfer-Encoding: quoted-printable\n\n" + std::string(80, 'a') + "\n"));
    CHECK_FALSE(hits(qp, "Content-Transfer-Encoding: quoted-printable\n\n" + std::string(78, 'a') + "\n"));
    const std::string iso = "body R eval:check_for_mime('mime_bad_iso_charset')";
    CHECK(hits(iso, "Content-Type: text/plain; charset=iso-1234-5\n\nhi\n"));
    CHECK_FALSE(hits(iso, "Content-Type: text/plain; charset=iso-8859-1\n\nhi\n"));
    const std::string att = "body R eval:check_for_mime('mime_attachment')";
    CHECK(hits(att, multipart("--XX\nContent-Type: text/plain\nContent-Disposition: attachment\n\nhi\n--XX--\n")));
    CHECK_FALSE(hits(att, multipart("--XX\nContent-Type: text/plain\n\nhi\n--XX--\n")));
    const std::string missing = "body R eval:check_for_mime('mime_missing_boundary')";
    CHECK(hits(missing, multipart("--XX\nContent-Type: text/plain\n\nhi\n")));
    CHECK_FALSE(hits(missing, multipart("--XX\nContent-Type: text/plain\n\nhi\n--XX--\n")));
    CHECK(unsupported("body R eval:check_for_mime('mime_no_such_thing')"));
    CHECK_FALSE(hits("body R eval:check_for_mime('mimepart_limit_exceeded')", multipart("--XX\n\nhi\n--XX--\n")));
}

TEST_CASE("eval: parser flags of SA's multipart walk", "[spam][eval]") {
    const std::string epi = "body R eval:check_msg_parse_flags('mime_epilogue_exists')";
    CHECK(hits(epi, multipart("--XX\nContent-Type: text/plain\n\nhi\n--XX--\ntrailing words\n")));
    CHECK_FALSE(hits(epi, multipart("--XX\nContent-Type: text/plain\n\nhi\n--XX--\n.\n\n")));
    const std::string noh = "body R eval:check_msg_parse_flags('missing_mime_headers')";
    CHECK(hits(noh, multipart("--XX\nhi there\n--XX--\n")));
    CHECK_FALSE(hits(noh, multipart("--XX\nContent-Type: text/plain\n\nhi\n--XX--\n")));
    const std::string longhdr = "header R eval:check_msg_parse_flags('truncated_header')";
    CHECK(hits(longhdr, "Subject: " + std::string(9000, 'x') + "\n\nhi\n"));
    CHECK_FALSE(hits(longhdr, "Subject: short\n\nhi\n"));
    CHECK(unsupported("body R eval:check_msg_parse_flags('no_such_flag')"));
}

TEST_CASE("eval: ascii text illegal, unicode ratio, base64 length", "[spam][eval]") {
    const std::string ascii = "body R eval:check_for_ascii_text_illegal()";
    CHECK(hits(ascii, "Content-Type: text/plain; charset=us-ascii\n\ncaf\xE9\n"));
    CHECK_FALSE(hits(ascii, "Content-Type: text/plain; charset=iso-8859-1\n\ncaf\xE9\n"));
    const std::string uni = "body R eval:check_abundant_unicode_ratio(0.02)";
    CHECK(hits(uni, "Content-Type: text/plain\n\n&#x0410;&#x0411; ab\n"));
    CHECK_FALSE(hits(uni, "Content-Type: text/plain\n\nplain words only here\n"));
    const std::string b64 = "body R eval:check_base64_length('79')";
    const std::string head = "Content-Type: text/plain\nContent-Transfer-Encoding: base64\n\n";
    CHECK(hits(b64, head + std::string(80, 'Q') + "\n"));
    CHECK_FALSE(hits(b64, head + std::string(76, 'Q') + "\n"));
    CHECK(unsupported("body R eval:check_base64_length('a')"));
}

TEST_CASE("eval: multipart_alternative_difference", "[spam][eval]") {
    const std::string rule = "body R eval:multipart_alternative_difference('99', '100')";
    auto alt = [](const std::string& text, const std::string& html) {
        return multipart("--XX\nContent-Type: text/plain\n\n" + text + "\n--XX\nContent-Type: text/html\n\n<p>" + html +
                             "</p>\n--XX--\n",
                         "alternative");
    };
    CHECK(hits(rule, alt("nothing in common", "buy cheap pills now")));
    CHECK_FALSE(hits(rule, alt("buy cheap pills now", "buy cheap pills now")));
    const std::string count = "body R eval:multipart_alternative_difference_count('3', '1')";
    CHECK(hits(count, alt("one two three four five six seven eight nine", "alpha beta")));
    CHECK_FALSE(hits(count, alt("one", "alpha beta")));
}

TEST_CASE("eval: body text shapes", "[spam][eval]") {
    std::string shouting, quiet;
    for (int i = 0; i < 10; ++i) shouting += "BUY THIS NOW AND SAVE BIG MONEY\n", quiet += "buy this now and save big money\n";
    const std::string upper = "body R eval:check_for_uppercase('50', '100')";
    CHECK(hits(upper, "Subject: x\n\n" + shouting));
    CHECK_FALSE(hits(upper, "Subject: x\n\n" + quiet));
    const std::string vert = "body R eval:tvd_vertical_words('0','10')";
    CHECK(hits(vert, "Subject: x\n\nverylongwordswithoutanyspaces here\n"));
    CHECK_FALSE(hits(vert, "Subject: x\n\nb u y n o w c h e a p\n"));
    const std::string len = "body R eval:check_body_length('20')";
    CHECK(hits(len, "Subject: x\n\nshort\n"));
    CHECK_FALSE(hits(len, "Subject: x\n\nthis body is longer than twenty bytes\n"));
    const std::string blank = "body R eval:check_blank_line_ratio('50','100','2')";
    CHECK(hits(blank, "Subject: x\n\na\n\n\n\nb\n"));
    CHECK_FALSE(hits(blank, "Subject: x\n\na\nb\nc\n"));
    const std::string stock = "body R eval:check_stock_info('2')";
    CHECK(hits(stock, "Subject: x\n\nSymbol: ABCD\nCurrent Price: 0.12\nTarget: 2.00\n"));
    CHECK_FALSE(hits(stock, "Subject: x\n\nName: Joe\nPhone: 123\n"));
}

TEST_CASE("eval: header tests of eval_misc", "[spam][eval]") {
    const std::string gated = "header R eval:gated_through_received_hdr_remover()";
    CHECK(hits(gated, "From: a@example.com\n\nhi\n"));
    CHECK_FALSE(hits(gated, "Received: from a by b; Tue, 24 Nov 2026 10:00:00 +0000\nFrom: a@example.com\n\nhi\n"));
    const std::string illegal = "header R eval:check_illegal_chars('Subject','0.00','2')";
    CHECK(hits(illegal, "Subject: bad \x01\x02 chars\n\nhi\n"));
    CHECK_FALSE(hits(illegal, "Subject: caf\xC3\xA9 ok\n\nhi\n"));
    const std::string subj = "header R eval:check_for_to_in_subject('user')";
    CHECK(hits(subj, "To: john@example.com\nSubject: john, you won\n\nhi\n"));
    CHECK_FALSE(hits(subj, "To: john@example.com\nSubject: a meeting\n\nhi\n"));
    const std::string count = "header R eval:check_header_count_range('Subject','2','999')";
    CHECK(hits(count, "Subject: a\nSubject: b\n\nhi\n"));
    CHECK_FALSE(hits(count, "Subject: a\nSubject: a\n\nhi\n"));
    const std::string tmpl = "header R eval:check_unresolved_template()";
    CHECK(hits(tmpl, "X-Campaign: %CAMPAIGN_ID\n\nhi\n"));
    CHECK_FALSE(hits(tmpl, "Subject: %SUBJECT\n\nhi\n"));
    const std::string env = "header R eval:check_for_matching_env_and_hdr_from()";
    Envelope e;
    e.mail_from = "Joe@Example.com";
    CHECK(hits(env, "From: joe@example.com\n\nhi\n", e));
    CHECK_FALSE(hits(env, "From: other@example.com\n\nhi\n", e));
    const std::string sorted = "header R eval:sorted_recipients()";
    CHECK(hits(sorted, "To: a@x.example, b@x.example, c@x.example, d@x.example, e@x.example, f@x.example, g@x.example\n\nhi\n"));
    CHECK_FALSE(hits(sorted, "To: g@x.example, b@x.example, c@x.example, d@x.example, e@x.example, f@x.example, a@x.example\n\nhi\n"));
    const std::string aol = "header R eval:check_for_fake_aol_relay_in_rcvd()";
    CHECK(hits(aol, "Received: from rly-xa01.mx.example by b\n\nhi\n"));
    CHECK_FALSE(hits(aol, "Received: from mail.example by b\n\nhi\n"));
    const std::string ratware = "header R eval:check_ratware_name_id()";
    CHECK(hits(ratware, "Message-Id: <ABCDEFGHIJKLMNOPQRSTUVWXYZAB.joe@x.example>\nFrom: \"Joe\" <joe@x.example>\n\nhi\n"));
    CHECK_FALSE(hits(ratware, "Message-Id: <abc@x.example>\nFrom: \"Joe\" <joe@x.example>\n\nhi\n"));
    CHECK(unsupported("header R eval:check_for_to_in_subject('other')"));
}
