#include "milters/spam/mime/html_text.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <chrono>

#include "common/base/limits.hpp"
#include "milters/spam/mime/html_text_style.hpp"

using namespace mw::spam;

namespace {
HtmlText render(std::string_view html) { return render_html(html, 1 << 20, 100); }
}  // namespace

TEST_CASE("render_html: entities + script/style/comments dropped", "[spam][mime]") {
    const auto r = render(
        "<html><head><style>p{color:red}</style><script>var x='hidden';</script></head>"
        "<body>Fish &amp; chips&nbsp;&#x263A; <!-- secret comment -->now</body></html>");
    CHECK(r.text == "Fish & chips \xE2\x98\xBA now");
    CHECK(r.text.find("hidden") == std::string::npos);
    CHECK(r.text.find("secret") == std::string::npos);
    CHECK(r.facts.has_html);
}

TEST_CASE("render_html: block tags break lines as SA's HTML.pm", "[spam][mime]") {
    CHECK(render("<p>one</p><p>two</p>").text == "\n\none\n\n\n\ntwo\n\n");
    CHECK(render("a<br>b<br/>c").text == "a\nb\nc");
    CHECK(render("<div>x</div>y").text == "\nx\ny");
    CHECK(render("<table><tr><td>a</td><td>b</td></tr></table>").text == " a  b ");
    CHECK(render("word   \n\t spaced").text == "word spaced");
    // Trailing space of text before a break tag is trimmed.
    CHECK(render("end <br>next").text == "end\nnext");
}

TEST_CASE("render_html: title + tag and image counts", "[spam][mime]") {
    const auto r = render("<title>Buy now</title><p>x<img src=a.gif><img src=b.gif>");
    CHECK(r.facts.title == "Buy now");
    CHECK(r.facts.images == 2);
    CHECK(r.facts.tags >= 4);
    CHECK(r.text.find("Buy now") != std::string::npos);  // SA renders the title too
}

TEST_CASE("render_html: URIs from href + src + form + background + meta refresh", "[spam][mime]") {
    const auto r = render(
        "<body background='http://bg.example/b.png'><a href=' http://A.example.com/x '>x</a>"
        "<img src=\"http://img.example.net/i.gif\"><form action=\"http://form.example.org/\">"
        "<meta http-equiv=refresh content=\"0; URL=http://refresh.example.com/r\">"
        "<a href=\"\">empty</a><iframe src=\"http://frame.example/\"></iframe></body>");
    std::vector<std::string> uris;
    for (const auto& u : r.uris) uris.push_back(u.uri);
    CHECK(uris == std::vector<std::string>{"http://bg.example/b.png", "http://A.example.com/x",
                                           "http://img.example.net/i.gif", "http://form.example.org/",
                                           "http://refresh.example.com/r", "http://frame.example/"});
    CHECK(r.uris[1].source == FoundUri::Source::Href);
    CHECK(r.uris[2].source == FoundUri::Source::Src);
}

TEST_CASE("render_html: base href resolves relative links", "[spam][mime]") {
    const auto r = render("<base href=\"http://base.example/dir/index.html\"><a href=\"page.html\">p</a>"
                          "<a href=\"/root\">r</a><a href=\"https://abs.example/\">a</a>");
    REQUIRE(r.uris.size() == 4);
    CHECK(r.uris[1].uri == "http://base.example/dir/page.html");
    CHECK(r.uris[2].uri == "http://base.example/root");
    CHECK(r.uris[3].uri == "https://abs.example/");
}

TEST_CASE("render_html: bounds on text and URIs - deep nesting is fine", "[spam][mime]") {
    auto r = render_html("<p>0123456789</p><a href=http://a.example/>a</a><a href=http://b.example/>b</a>", 6, 1);
    CHECK(r.text.size() == 6);
    CHECK(r.uris.size() == 1);
    CHECK(r.truncated);
}

TEST_CASE("render_html: nesting at the depth limit and past it - 50000 deep is fast", "[spam][mime]") {
    auto nested = [](std::size_t n) {
        std::string s;
        for (std::size_t i = 0; i < n; ++i) s += "<div>";
        return s + "deep";
    };
    auto r = render(nested(mw::limits::kMaxSpamHtmlDepth));
    CHECK_FALSE(r.truncated);
    CHECK(r.text.find("deep") != std::string::npos);
    r = render(nested(mw::limits::kMaxSpamHtmlDepth + 1));
    CHECK(r.truncated);
    CHECK(r.text.find("deep") == std::string::npos);
    // Flat and self-closed tags do not count as depth.
    std::string flat;
    for (int i = 0; i < 5000; ++i) flat += "<p>x<br><img alt=a><b>b</b><span/>";
    CHECK_FALSE(render(flat).truncated);
    const auto t0 = std::chrono::steady_clock::now();
    r = render(nested(50000));
    CHECK(r.truncated);
    INFO("took " << std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count() << " s (not asserted)");
}

// ---- HTML.pm results (HtmlFacts::Part) ------------------------------------------------------

namespace {
const HtmlFacts::Part& part_of(const HtmlText& r) {
    REQUIRE(r.facts.parts.size() == 1);
    return r.facts.parts[0];
}
int open_count(const HtmlFacts::Part& p, const std::string& tag) {
    for (const auto& [name, n] : p.inside)
        if (name == tag) return n;
    return -1;
}
}  // namespace

TEST_CASE("render_html facts: tags counted as HTML::Parser reports them", "[spam][mime]") {
    // Written tags only: no implied html/head/tbody; stray </center> is closed_extra.
    const auto r = render("<!DOCTYPE html><body><center>x</center></center><foo>y</foo><br/><o:p></o:p>");
    const auto& p = part_of(r);
    CHECK(p.tags == 10);           // doctype + body + center x2 + /center + foo x2 + br + o:p x2
    CHECK(p.elements == 8);        // all but the two foo tags (SA's HTML.pm gives 8 too)
    CHECK(p.closed_extra == 1);
    CHECK(open_count(p, "body") == 1);
    CHECK(open_count(p, "center") == 0);
    CHECK(open_count(p, "html") == -1);
    CHECK(open_count(p, "foo") == 0);
    CHECK(open_count(p, "br") == 1);
    CHECK(p.tags_seen == 5);       // body center foo br o:p (doctype is not "seen")
    CHECK(p.elements_seen == 4);
    CHECK(p.obfuscation == 1);     // "x" then "y" with only tags between
}

TEST_CASE("render_html facts: comments, script bodies and quoted '>' are not tags", "[spam][mime]") {
    const auto r = render("<!-- saved from url=(0022)http://x/ --><script>if (a<b) x='<p>';</script>"
                          "<a title=\"a>b\" href=x>t</a><!foo><?xml v?></ b>");
    const auto& p = part_of(r);
    REQUIRE(p.comments.size() == 3);
    CHECK(p.comments[0] == "<!-- saved from url=(0022)http://x/ -->");
    CHECK(p.comments[1] == "<!foo>");
    CHECK(p.comments[2] == "</ b>");
    CHECK(open_count(p, "p") == -1);
    CHECK(open_count(p, "b") == -1);
    CHECK(p.tags == 4);
}

TEST_CASE("render_html facts: titles, anchors with images, lengths", "[spam][mime]") {
    const auto r = render("<title>Big  Sale</title><a href=x>click <b>here</b><img src=i.gif></a>\xC3\xA9t\xC3\xA9");
    const auto& p = part_of(r);
    CHECK(p.titles == std::vector<std::string>{"Big  Sale"});
    CHECK(p.anchors == std::vector<std::string>{"click here<img>\n"});
    CHECK(p.length == 73);   // characters, not bytes (as SA's HTML.pm on this input)
    CHECK(p.html_length == r.text.size() - 2);                       // two 2-byte characters
    CHECK(p.html_length - p.non_space_len == static_cast<std::size_t>(std::count(r.text.begin(), r.text.end(), ' ') +
                                                                      std::count(r.text.begin(), r.text.end(), '\n')));
    CHECK(p.obfuscation == 1);
}

TEST_CASE("render_html facts: image area as HTML.pm computes it", "[spam][mime]") {
    CHECK(part_of(render("<img width=10 height=20>")).image_area == 200);
    CHECK(part_of(render("<img width=50% height=10%>")).image_area == 400 * 60);
    CHECK(part_of(render("<img width=10px height=20>")).image_area == 200 * 20);   // junk -> 200
    CHECK(part_of(render("<img width=10>")).image_area == 0);                      // needs both
}

TEST_CASE("render_html facts: font colours, sizes and faces", "[spam][mime]") {
    CHECK(part_of(render("<font color=white>hidden</font>")).font_low_contrast);
    CHECK(part_of(render("<body><span style=\"color:#fefefe\">hidden</span>")).font_low_contrast);
    CHECK(part_of(render("<div style='background-color: black; color: rgb(10,10,10)'>x</div>")).font_low_contrast);
    CHECK_FALSE(part_of(render("<font color=red>red</font>")).font_low_contrast);
    CHECK_FALSE(part_of(render("<font color=white> </font>")).font_low_contrast);   // white space only
    // bgcolor attributes are ignored by HTML.pm (only CSS backgrounds count).
    CHECK_FALSE(part_of(render("<table bgcolor=black><tr><td><font color=black>x</font>")).font_low_contrast);
    CHECK(part_of(render("<font color=nonsense>x</font>")).font_invalid_color);
    CHECK(part_of(render("<font size=7>x</font>")).max_size == 7);
    CHECK(part_of(render("<font size=+4>x</font>")).max_size == 7);
    CHECK(part_of(render("<basefont size=5><font size=+2>x</font>")).max_size == 7);
    CHECK(part_of(render("<font size=1>x</font>")).min_size == 1);
    CHECK(part_of(render("<font face=\"Arial, Helvetica\">x</font>")).font_face_bad == false);
    CHECK(part_of(render("<font face=\"Arial2\">x</font>")).font_face_bad == false);
    CHECK(part_of(render("<font face=\"3D\">x</font>")).font_face_bad);
    CHECK(part_of(render("<font face=\"Ar_ial\">x</font>")).font_face_bad);
}

TEST_CASE("render_html facts: obfuscation, embeds, mailto forms, iframes", "[spam][mime]") {
    const auto rendered = render("V<b>i</b>agra now <i>ok</i>");   // outlives the reference below
    const auto& p = part_of(rendered);
    CHECK(p.obfuscation == 2);      // "V"+"i", "i"+"agra"; " now " starts with a space
    CHECK(part_of(render("<object></object>")).embeds);
    CHECK(part_of(render("<embed src=x>")).embeds);
    CHECK(part_of(render("<form action=\"MAILTO:a@b\">")).form_action_mailto);
    CHECK_FALSE(part_of(render("<form action=\"http://a/\">")).form_action_mailto);
    CHECK(part_of(render("<iframe src=\"http://a/\"></iframe>")).iframe_src);
}

TEST_CASE("name_to_rgb and font_face_is_bad follow HTML.pm", "[spam][mime]") {
    CHECK(name_to_rgb("White").str() == "#ffffff");
    CHECK(name_to_rgb(" #FFF ").str() == "#ffffff");
    CHECK(name_to_rgb("#12345").str() == "#112233");
    CHECK(name_to_rgb("#1234567").str() == "#123456");
    CHECK(name_to_rgb("#").str() == "#");
    CHECK(name_to_rgb("ffffff").str() == "invalid");   // hex needs its '#'

    CHECK(name_to_rgb("rgb(255, 0, 16)").str() == "#ff0010");
    CHECK(name_to_rgb("rgb(100%, 0%, 50%)").str() == "#ff007f");
    CHECK(name_to_rgb("blurple").str() == "invalid");
    CHECK_FALSE(font_face_is_bad(" a"));
    CHECK_FALSE(font_face_is_bad("'Times New Roman', serif;"));
    CHECK(font_face_is_bad("a"));
    CHECK(font_face_is_bad("Arial,"));
}
