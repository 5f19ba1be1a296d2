#include "milters/spam/mime/html_text.hpp"

#include <gumbo.h>

#include <algorithm>
#include <cctype>
#include <memory>
#include <optional>
#include <vector>

#include "common/base/ascii.hpp"
#include "common/base/limits.hpp"
#include "milters/spam/mime/html_text_style.hpp"
#include "milters/spam/mime/html_text_tags.hpp"

namespace mw::spam {
namespace {

using Source = FoundUri::Source;

struct GumboOutputDeleter {
    void operator()(GumboOutput* out) const { gumbo_destroy_output(&kGumboDefaultOptions, out); }
};
using GumboOutputPtr = std::unique_ptr<GumboOutput, GumboOutputDeleter>;

/// What a tag inserts into the rendered text (HTML.pm html_whitespace).
std::string_view whitespace_for(GumboTag tag) {
    switch (tag) {
        case GUMBO_TAG_BR: case GUMBO_TAG_DIV:
            return "\n";
        case GUMBO_TAG_LI: case GUMBO_TAG_TH: case GUMBO_TAG_TD: case GUMBO_TAG_DT:
        case GUMBO_TAG_DD: case GUMBO_TAG_EMBED: case GUMBO_TAG_H1: case GUMBO_TAG_H2:
        case GUMBO_TAG_H3: case GUMBO_TAG_H4: case GUMBO_TAG_H5: case GUMBO_TAG_H6:
            return " ";
        case GUMBO_TAG_P: case GUMBO_TAG_HR: case GUMBO_TAG_BLOCKQUOTE: case GUMBO_TAG_PRE:
        case GUMBO_TAG_LISTING: case GUMBO_TAG_PLAINTEXT: case GUMBO_TAG_XMP:
        case GUMBO_TAG_TITLE:
            return "\n\n";
        default:
            return {};
    }
}

std::optional<std::string_view> attribute(const GumboElement& e, const char* name) {
    const GumboAttribute* a = gumbo_get_attribute(&e.attributes, name);
    if (a == nullptr) return std::nullopt;
    return std::string_view(a->value);
}

bool is_space_byte(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

std::string_view trim_uri(std::string_view s) {
    // HTML.pm canon_uri: no leading/trailing white space (NBSP too).
    auto is_trim = [](std::string_view t, std::size_t i) {
        return is_space_byte(t[i]) || (t[i] == '\xC2' && i + 1 < t.size() && t[i + 1] == '\xA0');
    };
    while (!s.empty() && is_trim(s, 0)) s.remove_prefix(s[0] == '\xC2' ? 2 : 1);
    while (!s.empty()) {
        if (is_space_byte(s.back())) s.remove_suffix(1);
        else if (s.size() >= 2 && s.substr(s.size() - 2) == "\xC2\xA0") s.remove_suffix(2);
        else break;
    }
    return s;
}

bool has_scheme(std::string_view uri) {
    std::size_t i = 0;
    while (i < uri.size() && (std::isalnum(static_cast<unsigned char>(uri[i])) || uri[i] == '+' ||
                              uri[i] == '-' || uri[i] == '.'))
        ++i;
    return i > 0 && i < uri.size() && uri[i] == ':';
}

/// HTML.pm's "word" characters for the obfuscation count: not white space, not ASCII
/// punctuation (bytes of multi-byte UTF-8 characters count as word characters).
bool is_word_byte(char c) {
    const auto u = static_cast<unsigned char>(c);
    if (is_space_byte(c)) return false;
    return !((u >= 0x21 && u <= 0x2f) || (u >= 0x3a && u <= 0x40) || (u >= 0x5b && u <= 0x60) ||
             (u >= 0x7b && u <= 0x7e));
}

bool starts_word(std::string_view t) {
    if (t.starts_with("\xC2\xA0")) return false;  // NBSP is \s to Perl's Unicode strings
    return is_word_byte(t[0]);
}

/// True when `t` has something besides white space and NBSP (HTML.pm tests only such runs).
bool has_visible(std::string_view t) {
    for (std::size_t i = 0; i < t.size(); ++i) {
        if (t[i] == '\xC2' && i + 1 < t.size() && t[i + 1] == '\xA0') ++i;
        else if (!is_space_byte(t[i])) return true;
    }
    return false;
}

/// Characters of UTF-8 text (SA counts Perl characters).
std::size_t count_chars(std::string_view s) {
    std::size_t n = 0;
    for (char c : s) n += (static_cast<unsigned char>(c) & 0xC0) != 0x80 ? 1 : 0;
    return n;
}

std::size_t count_spaces(std::string_view s) {
    std::size_t n = 0;
    for (char c : s) n += is_space_byte(c) ? 1 : 0;
    return n;
}

void append_item(std::string& item, std::string_view more) {
    const std::size_t room = limits::kMaxSpamHtmlTextItem - std::min(item.size(), limits::kMaxSpamHtmlTextItem);
    item.append(more.substr(0, room));
}

/// HTML.pm: /^(\d+)(\%)?$/, a percentage scaled by `percent_scale`; 0 for anything else.
double image_dimension(std::string_view v, double percent_scale) {
    if (v.ends_with('\n')) v.remove_suffix(1);
    const bool percent = v.ends_with('%');
    if (percent) v.remove_suffix(1);
    if (v.empty() || v.size() > 12 || !std::all_of(v.begin(), v.end(), [](char c) { return c >= '0' && c <= '9'; }))
        return 0;
    const double n = std::stod(std::string(v));
    return percent ? n * percent_scale : n;
}

/// A start tag written in the source, not one the tree builder implied or cloned.
bool start_written(const GumboNode* node) {
    const GumboElement& e = node->v.element;
    constexpr int kMade = GUMBO_INSERTION_BY_PARSER | GUMBO_INSERTION_IMPLIED |
                          GUMBO_INSERTION_RECONSTRUCTED_FORMATTING_ELEMENT |
                          GUMBO_INSERTION_ADOPTION_AGENCY_CLONED;
    return e.original_tag.length > 0 && (node->parse_flags & kMade) == 0;
}

/// An end tag written for this very element (gumbo also records the tag that closed it
/// implicitly: "</div>" for an open <p>).
bool end_written(const GumboElement& e) {
    if (e.original_end_tag.length < 3 || e.tag == GUMBO_TAG_UNKNOWN) return false;
    const std::string_view written(e.original_end_tag.data, e.original_end_tag.length);
    const std::string_view name = gumbo_normalized_tagname(e.tag);
    if (written.size() < 2 + name.size() || !iequals_ascii(written.substr(2, name.size()), name)) return false;
    const char after = written.size() > 2 + name.size() ? written[2 + name.size()] : '>';
    return after == '>' || is_space_byte(after) || after == '/';
}

/// Walks the gumbo tree once, building the rendering (HTML.pm's handlers, in document order).
class Renderer {
public:
    Renderer(std::size_t max_text, std::size_t max_uris, HtmlFacts::Part part)
        : max_text_(max_text), max_uris_(max_uris), part_(std::move(part)) {}

    void walk(const GumboNode* root);
    HtmlText take();

private:
    struct Frame {
        const GumboNode* node;
        bool closing;
    };
    void open_element(const GumboNode* node);
    void close_element(const GumboNode* node);
    void text(std::string_view t);
    void whitespace(std::string_view ws);
    void append(std::string_view s);
    void collect_uris(GumboTag tag, const GumboElement& e);
    void push_uri(std::string_view raw, Source source);
    void set_base(std::string_view href);
    void meta_refresh(const GumboElement& e);
    void start_tag_tests(const GumboElement& e);
    void image_area(const GumboElement& e);
    void text_tests(std::string_view t);

    HtmlText out_;
    std::size_t max_text_;
    std::size_t max_uris_;
    HtmlFacts::Part part_;
    HtmlTextStyle style_{part_};
    HtmlAttributes attrs_;              // reused for every tag
    bool last_was_whitespace_ = false;  // the last chunk came from a tag, not text
    bool last_chunk_ends_word_ = false; // for HTML.pm's obfuscation count
    bool in_title_ = false;
    int open_anchors_ = 0;              // <a> elements around the current node
    std::string base_;
};

void Renderer::walk(const GumboNode* root) {
    std::vector<Frame> stack{{root, false}};
    while (!stack.empty()) {
        const Frame f = stack.back();
        stack.pop_back();
        const GumboNode* n = f.node;
        if (n->type == GUMBO_NODE_TEXT || n->type == GUMBO_NODE_WHITESPACE ||
            n->type == GUMBO_NODE_CDATA) {
            text(n->v.text.text);
            continue;
        }
        if (n->type != GUMBO_NODE_ELEMENT && n->type != GUMBO_NODE_DOCUMENT &&
            n->type != GUMBO_NODE_TEMPLATE)
            continue;  // comments are not rendered
        if (f.closing) {
            close_element(n);
            continue;
        }
        const GumboVector& kids =
            n->type == GUMBO_NODE_DOCUMENT ? n->v.document.children : n->v.element.children;
        if (n->type != GUMBO_NODE_DOCUMENT) {
            open_element(n);
            const GumboTag tag = n->v.element.tag;
            if (tag == GUMBO_TAG_SCRIPT || tag == GUMBO_TAG_STYLE) continue;  // not rendered
            stack.push_back({n, true});
        }
        for (unsigned i = kids.length; i > 0; --i)
            stack.push_back({static_cast<const GumboNode*>(kids.data[i - 1]), false});
    }
}

void Renderer::open_element(const GumboNode* node) {
    const GumboElement& e = node->v.element;
    ++out_.facts.tags;
    if (e.tag == GUMBO_TAG_IMG) ++out_.facts.images;
    if (e.tag == GUMBO_TAG_TITLE) in_title_ = true;
    if (e.tag == GUMBO_TAG_A) ++open_anchors_;
    if (start_written(node)) start_tag_tests(e);
    whitespace(whitespace_for(e.tag));
    collect_uris(e.tag, e);
}

void Renderer::close_element(const GumboNode* node) {
    const GumboElement& e = node->v.element;
    if (e.tag == GUMBO_TAG_TITLE) in_title_ = false;
    if (e.tag == GUMBO_TAG_A) --open_anchors_;
    // SA sees only end tags that are written, not the ones the tree builder implies.
    if (!end_written(e)) return;
    style_.end(gumbo_normalized_tagname(e.tag));
    whitespace(whitespace_for(e.tag));
}

/// HTML.pm html_tests and text_style for a start tag written in the source.
void Renderer::start_tag_tests(const GumboElement& e) {
    attrs_.clear();
    for (unsigned i = 0; i < e.attributes.length; ++i) {
        const auto* a = static_cast<const GumboAttribute*>(e.attributes.data[i]);
        attrs_.emplace_back(a->name, a->value);
    }
    style_.start(gumbo_normalized_tagname(e.tag), attrs_);
    switch (e.tag) {
        case GUMBO_TAG_FONT:
            if (auto face = attribute(e, "face"); face && font_face_is_bad(*face)) part_.font_face_bad = true;
            return;
        case GUMBO_TAG_IMG:
            if (open_anchors_ > 0 && !part_.anchors.empty()) append_item(part_.anchors.back(), "<img>\n");
            image_area(e);
            return;
        case GUMBO_TAG_FORM:
            if (auto action = attribute(e, "action"); action && to_lower_ascii(*action).find("mailto:") != std::string::npos)
                part_.form_action_mailto = true;
            return;
        case GUMBO_TAG_OBJECT: case GUMBO_TAG_EMBED:
            part_.embeds = true;
            return;
        case GUMBO_TAG_A:
            if (part_.anchors.size() < limits::kMaxSpamHtmlTexts) part_.anchors.emplace_back();
            return;
        case GUMBO_TAG_TITLE:
            if (part_.titles.size() < limits::kMaxSpamHtmlTexts) part_.titles.emplace_back();
            return;
        case GUMBO_TAG_IFRAME:
            if (auto src = attribute(e, "src"); src && !trim_uri(*src).empty()) part_.iframe_src = true;
            return;
        default:
            return;
    }
}

/// HTML.pm: width and height both given; "N%" scales by 8 (width) or 6 (height), junk is 200.
void Renderer::image_area(const GumboElement& e) {
    const auto width = attribute(e, "width");
    const auto height = attribute(e, "height");
    if (!width || !height) return;
    const double w = image_dimension(*width, 8), h = image_dimension(*height, 6);
    part_.image_area += (w > 0 ? w : 200) * (h > 0 ? h : 200);
}

/// HTML.pm html_text: title and anchor texts, the font tests and the obfuscation count.
void Renderer::text_tests(std::string_view t) {
    if (in_title_ && !part_.titles.empty()) append_item(part_.titles.back(), t);
    if (open_anchors_ > 0 && !part_.anchors.empty()) append_item(part_.anchors.back(), t);
    if (has_visible(t)) style_.text();
    if (!t.empty() && last_chunk_ends_word_ && starts_word(t)) ++part_.obfuscation;
}

HtmlText Renderer::take() {
    part_.html_length = count_chars(out_.text);
    part_.non_space_len = part_.html_length - count_spaces(out_.text);
    out_.facts.parts.push_back(std::move(part_));
    return std::move(out_);
}

void Renderer::append(std::string_view s) {
    if (out_.text.size() + s.size() > max_text_) {
        out_.truncated = true;
        s = s.substr(0, max_text_ - out_.text.size());
    }
    out_.text += s;
}

void Renderer::whitespace(std::string_view ws) {
    if (ws.empty()) return;
    // HTML.pm display_text: trailing space of the previous text chunk goes.
    if (!last_was_whitespace_ && !out_.text.empty() && out_.text.back() == ' ')
        out_.text.pop_back();
    append(ws);
    last_was_whitespace_ = true;
    last_chunk_ends_word_ = false;
}

void Renderer::text(std::string_view t) {
    std::string collapsed;
    collapsed.reserve(t.size());
    for (std::size_t i = 0; i < t.size(); ++i) {
        const bool nbsp = t[i] == '\xC2' && i + 1 < t.size() && t[i + 1] == '\xA0';
        if (is_space_byte(t[i]) || nbsp) {
            if (nbsp) ++i;
            if (collapsed.empty() || collapsed.back() != ' ') collapsed += ' ';
            continue;
        }
        collapsed += t[i];
    }
    if (last_was_whitespace_ && collapsed.starts_with(' ')) collapsed.erase(0, 1);
    if (in_title_) out_.facts.title += collapsed;
    text_tests(t);
    append(collapsed);
    last_was_whitespace_ = false;
    last_chunk_ends_word_ = !collapsed.empty() && is_word_byte(collapsed.back());
}

void Renderer::collect_uris(GumboTag tag, const GumboElement& e) {
    switch (tag) {
        case GUMBO_TAG_BODY: case GUMBO_TAG_TABLE: case GUMBO_TAG_TR: case GUMBO_TAG_TD:
            if (auto v = attribute(e, "background")) push_uri(*v, Source::Other);
            return;
        case GUMBO_TAG_A: case GUMBO_TAG_AREA: case GUMBO_TAG_LINK:
            if (auto v = attribute(e, "href")) push_uri(*v, Source::Href);
            if (auto v = attribute(e, "data-saferedirecturl")) push_uri(*v, Source::Href);
            return;
        case GUMBO_TAG_IMG: case GUMBO_TAG_FRAME: case GUMBO_TAG_IFRAME: case GUMBO_TAG_EMBED:
        case GUMBO_TAG_SCRIPT: case GUMBO_TAG_BGSOUND:
            if (auto v = attribute(e, "src")) push_uri(*v, Source::Src);
            return;
        case GUMBO_TAG_FORM:
            if (auto v = attribute(e, "action")) push_uri(*v, Source::Other);
            return;
        case GUMBO_TAG_BASE:
            if (auto v = attribute(e, "href")) set_base(*v);
            return;
        case GUMBO_TAG_META:
            meta_refresh(e);
            return;
        default:
            return;
    }
}

void Renderer::push_uri(std::string_view raw, Source source) {
    std::string_view uri = trim_uri(raw);
    if (uri.empty()) return;
    if (out_.uris.size() >= max_uris_) {
        out_.truncated = true;
        return;
    }
    if (uri.size() > limits::kMaxSpamUriLength) uri = uri.substr(0, limits::kMaxSpamUriLength);
    std::string value = base_.empty() ? std::string(uri) : resolve_against_base(base_, uri);
    out_.uris.push_back(HtmlUri{std::move(value), source});
}

void Renderer::set_base(std::string_view href) {
    const std::string_view uri = trim_uri(href);
    push_uri(uri, Source::Href);  // HTML.pm: a base URI is a URI too
    const std::string lower = to_lower_ascii(uri.substr(0, 6));
    if (!lower.starts_with("http:") && !lower.starts_with("https:") && !lower.starts_with("ftp:"))
        return;
    // Browsers ignore a trailing file name ("http://x.com/index.html" -> "http://x.com/").
    std::string base(uri);
    const std::size_t scheme_end = base.find(':') + 1;
    std::size_t host_start = scheme_end;
    while (host_start < base.size() && base[host_start] == '/') ++host_start;
    const std::size_t slash = base.rfind('/');
    if (slash != std::string::npos && slash >= host_start) base.erase(slash + 1);
    else base += '/';
    base_ = std::move(base);
}

void Renderer::meta_refresh(const GumboElement& e) {
    const auto equiv = attribute(e, "http-equiv");
    const auto content = attribute(e, "content");
    if (!equiv || !content || to_lower_ascii(*equiv).find("refresh") == std::string::npos) return;
    const std::string lower = to_lower_ascii(*content);
    const std::size_t url = lower.find("url");
    if (url == std::string::npos) return;
    std::size_t i = url + 3;
    while (i < lower.size() && is_space_byte(lower[i])) ++i;
    if (i >= lower.size() || lower[i] != '=') return;
    std::string_view rest = content->substr(i + 1);
    rest = rest.substr(0, rest.find(';'));
    push_uri(rest, Source::Other);
}

}  // namespace

std::string resolve_against_base(std::string_view base, std::string_view uri) {
    if (has_scheme(uri) || base.empty()) return std::string(uri);
    const std::size_t colon = base.find(':');
    if (uri.starts_with("//")) return std::string(base.substr(0, colon + 1)).append(uri);
    if (uri.starts_with("/")) {
        std::size_t host = colon + 1;
        while (host < base.size() && base[host] == '/') ++host;
        const std::size_t path = base.find('/', host);
        return std::string(base.substr(0, path)).append(uri);
    }
    return std::string(base).append(uri);
}

HtmlText render_html(std::string_view html, std::size_t max_text, std::size_t max_uris) {
    GumboOptions options = kGumboDefaultOptions;
    options.max_errors = 0;  // error records cost time and memory; we never read them
    HtmlFacts::Part part;
    part.length = count_chars(html);
    const std::size_t length = scan_html_tags(html, part);
    GumboOutputPtr output(gumbo_parse_with_options(&options, html.data(), length));
    Renderer renderer(max_text, max_uris, std::move(part));
    if (output) renderer.walk(output->document);
    HtmlText result = renderer.take();
    if (length < html.size()) result.truncated = true;
    result.facts.has_html = true;
    result.facts.text_bytes = result.text.size();
    return result;
}

}  // namespace mw::spam
