#include "milters/spam/mime/html_text.hpp"

#include <catch2/catch.hpp>

#include <chrono>

#include "common/base/limits.hpp"

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
    CHECK(std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count() < 1.0);
}
