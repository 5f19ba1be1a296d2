// HTMLEval tests (eval_html.cpp) through compiled rules and parsed messages. Expected hits were
// checked against SpamAssassin 4.0.1's HTML.pm on the same HTML.
#include "tests/unit/milters/spam/scan/scan_fixture.hpp"

using namespace mw::spam;
using namespace mw::spam::test;

namespace {

std::string html_message(const std::string& html, const std::string& subject = "hello") {
    return "From: a@example.com\nTo: b@example.net\nSubject: " + subject +
           "\nMIME-Version: 1.0\nContent-Type: text/html; charset=utf-8\n\n" + html + "\n";
}

bool hits(const std::string& rule_line, const std::string& raw) {
    auto rules = compile_rules(rule_line + "\n");
    INFO(rule_line);
    REQUIRE(rules.status(0).state == RuleState::Runnable);
    return scan(rules, raw).hit(rules.rule(0).name);
}

bool refused(const std::string& rule_line) {
    auto rules = compile_rules(rule_line + "\n");
    return rules.status(0).state == RuleState::Unsupported;
}

}  // namespace

TEST_CASE("eval html_test: html and the HTML.pm flags") {
    CHECK(hits("body HTML_MESSAGE eval:html_test('html')", html_message("<p>hi</p>")));
    CHECK_FALSE(hits("body HTML_MESSAGE eval:html_test('html')", "Subject: x\n\nplain text\n"));
    const std::string low = "body HTML_FONT_LOW_CONTRAST eval:html_test('font_low_contrast')";
    CHECK(hits(low, html_message("<body><font color=\"#fffffe\">hidden words</font></body>")));
    CHECK_FALSE(hits(low, html_message("<body><font color=red>red words</font></body>")));
    CHECK(hits("body HTML_FONT_FACE_BAD eval:html_test('font_face_bad')", html_message("<font face=\"3D\">x</font>")));
    CHECK(hits("body HTML_EMBEDS eval:html_test('embeds')", html_message("<object data=x></object>")));
    CHECK_FALSE(hits("body HTML_EMBEDS eval:html_test('embeds')", html_message("<p>x</p>")));
    CHECK(hits("body T_FORM eval:html_test('form_action_mailto')", html_message("<form action=mailto:a@b>")));
    CHECK(refused("body X eval:html_test('no_such_flag')"));
}

TEST_CASE("eval html_range and html_eval on HTML.pm's numbers") {
    const std::string huge = "body HTML_FONT_SIZE_HUGE eval:html_range('max_size', '6', 'inf')";
    CHECK(hits(huge, html_message("<font size=7>BIG</font>")));
    CHECK_FALSE(hits(huge, html_message("<font size=6>big</font>")));
    const std::string large = "body HTML_FONT_SIZE_LARGE eval:html_range('max_size', '5', '6')";
    CHECK(hits(large, html_message("<font size=+3>big</font>")));
    const std::string extra = "body HTML_EXTRA_CLOSE eval:html_range('closed_extra_ratio', '0.09', 'inf')";
    CHECK(hits(extra, html_message("<p>x</b></i></p>")));
    CHECK_FALSE(hits(extra, html_message("<p><b>x</b></p>")));
    const std::string obf = "body HTML_OBFUSCATE_20_30 eval:html_range('obfuscation_ratio','.2','.3')";
    CHECK(hits(obf, html_message("V<b>i</b>a<b>gra</b> x y z <i>w</i> <u>v</u> <s>t</s>")));  // 3 of 10 tags
    CHECK_FALSE(hits(obf, html_message("<b>Viagra</b> <i>now</i>")));
    const std::string bad = "body HTML_BADTAG_90_100 eval:html_range('bad_tag_ratio','0.90','1.00')";
    CHECK(hits(bad, html_message("<zz>x</zz><yy>y</yy><xx><ww><vv><uu><qq><ss><rr><p>")));
    CHECK_FALSE(hits(bad, html_message("<p>x</p>")));
    const std::string len = "body T_HTML_LENGTH_384 eval:html_eval('length', '< 384')";
    CHECK(hits(len, html_message("<p>short</p>")));
    CHECK_FALSE(hits(len, html_message("<p>" + std::string(400, 'x') + "</p>")));
    CHECK(refused("body X eval:html_range('backhair_count', '1', '2')"));
    CHECK(refused("body X eval:html_eval('length', 'system(1)')"));
}

TEST_CASE("eval html_tag_exists and html_tag_balance count written tags") {
    CHECK(hits("body T_HTML_TAG eval:html_tag_exists('html')", html_message("<html><p>x</p></html>")));
    // libgumbo's tree always has <html>; HTML::Parser (and so SA) only sees written tags.
    CHECK_FALSE(hits("body T_HTML_TAG eval:html_tag_exists('html')", html_message("<p>x</p>")));
    const std::string body = "body HTML_TAG_BALANCE_BODY eval:html_tag_balance('body', '!= 0')";
    CHECK(hits(body, html_message("<html><body>x</html>")));
    CHECK_FALSE(hits(body, html_message("<html><body>x</body></html>")));
    CHECK(hits("body B eval:html_tag_balance('center', '!= 0')", html_message("<center><center>x</center>")));
    CHECK(refused("body X eval:html_tag_balance('Body!', '!= 0')"));
}

TEST_CASE("eval html_image_only and html_image_ratio") {
    const std::string only = "body HTML_IMAGE_ONLY_04 eval:html_image_only('0000','0400')";
    CHECK(hits(only, html_message("<a href=http://x.example/><img src=http://x.example/a.gif></a>")));
    CHECK_FALSE(hits(only, html_message("<p>no image here</p>")));
    CHECK_FALSE(hits(only, html_message("<img src=a.gif>" + std::string(500, 'x'))));
    const std::string ratio = "body HTML_IMAGE_RATIO_02 eval:html_image_ratio('0.000','0.002')";
    CHECK(hits(ratio, html_message("<img src=a.gif width=500 height=400>tiny")));   // 4/200000
    CHECK_FALSE(hits(ratio, html_message("<img src=a.gif width=10 height=10>" + std::string(50, 'x'))));
}

TEST_CASE("eval html_text_match on comments, titles and anchors") {
    const std::string saved = "body HTML_COMMENT_SAVED_URL eval:html_text_match('comment', '<!-- saved from url=\\(\\d{4}\\)')";
    CHECK(hits(saved, html_message("<!-- saved from url=(0022)http://internet.e-mail --><p>x</p>")));
    CHECK_FALSE(hits(saved, html_message("<!-- just a comment --><p>x</p>")));
    const std::string link_image = "body T_HTML_LINK_IMAGE eval:html_text_match('anchor', '<img>')";
    CHECK(hits(link_image, html_message("<a href=x><img src=y></a>")));
    CHECK_FALSE(hits(link_image, html_message("<a href=x>text</a><img src=y>")));
    const std::string title = "body T_HTML_TITLE_120 eval:html_text_match('title', '.{120}')";
    CHECK(hits(title, html_message("<title>" + std::string(130, 't') + "</title>")));
    CHECK_FALSE(hits(title, html_message("<title>short</title>")));
    CHECK(hits("body N eval:html_text_not_match('title', '^short$')", html_message("<title>long one</title>")));
    CHECK(refused("body X eval:html_text_match('script', 'x')"));
    CHECK(refused("body X eval:html_text_match('comment', '(')"));
}

TEST_CASE("eval html_title_subject_ratio, html_charset_faraway, check_iframe_src") {
    const std::string diff = "body T_HTML_TITLE_SUBJ_DIFF eval:html_title_subject_ratio('3.5')";
    CHECK(hits(diff, html_message("<title>" + std::string(40, 'w') + "</title>", "hi there")));
    CHECK_FALSE(hits(diff, html_message("<title>hi there</title>", "hi there")));
    // ok_locales is "all" (SA's default, our only setting): never far away.
    CHECK_FALSE(hits("body F eval:html_charset_faraway()",
                     html_message("<meta http-equiv=Content-Type content=\"text/html; charset=big5\">x")));
    CHECK(hits("body I eval:check_iframe_src()", html_message("<iframe src=\"http://x.example/\"></iframe>")));
    CHECK_FALSE(hits("body I eval:check_iframe_src()", html_message("<iframe></iframe>")));
}

TEST_CASE("eval html_*: any one HTML part is enough") {
    const std::string raw =
        "From: a@example.com\nSubject: x\nMIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=b\n\n"
        "--b\nContent-Type: text/html\n\n<p>plain part</p>\n"
        "--b\nContent-Type: text/html\n\n<font size=7>big</font>\n--b--\n";
    CHECK(hits("body HTML_FONT_SIZE_HUGE eval:html_range('max_size', '6', 'inf')", raw));
    CHECK_FALSE(hits("body S eval:html_range('max_size', '7', 'inf')", raw));
}
