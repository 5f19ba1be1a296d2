#include "milters/spam/mime/html_text.hpp"

#include <gumbo.h>

#include <cctype>
#include <memory>
#include <optional>
#include <vector>

#include "common/base/ascii.hpp"
#include "common/base/limits.hpp"

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

/// Walks the gumbo tree once, building the rendering (HTML.pm's handlers, in document order).
class Renderer {
public:
    Renderer(std::size_t max_text, std::size_t max_uris) : max_text_(max_text), max_uris_(max_uris) {}

    void walk(const GumboNode* root);
    HtmlText take() { return std::move(out_); }

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

    HtmlText out_;
    std::size_t max_text_;
    std::size_t max_uris_;
    bool last_was_whitespace_ = false;  // the last chunk came from a tag, not text
    bool in_title_ = false;
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
    whitespace(whitespace_for(e.tag));
    collect_uris(e.tag, e);
}

void Renderer::close_element(const GumboNode* node) {
    const GumboElement& e = node->v.element;
    if (e.tag == GUMBO_TAG_TITLE) in_title_ = false;
    // SA sees only end tags that are written; gumbo marks implied ones with an empty tag.
    if (e.original_end_tag.length > 0) whitespace(whitespace_for(e.tag));
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
    append(collapsed);
    last_was_whitespace_ = false;
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

bool is_ascii_alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

/// Tags that never nest (void) or that the HTML parser closes by itself: not counted as depth.
bool is_flat_tag(std::string_view name) {
    static constexpr std::string_view kFlat[] = {
        "br", "img", "hr", "input", "meta", "link", "area", "base", "col", "embed", "param",
        "source", "track", "wbr", "p", "li", "td", "th", "tr", "option", "dt", "dd", "!"};
    for (const auto f : kFlat)
        if (iequals_ascii(name, f)) return true;
    return false;
}

/// Length of the prefix of `html` whose estimated tag nesting stays within kMaxSpamHtmlDepth
/// (start tags minus end tags, self-closing and flat tags not counted). libgumbo's tree
/// building costs O(depth^2), so a deeply nested part is cut rather than parsed whole.
std::size_t bounded_html_length(std::string_view html) {
    std::size_t depth = 0;
    for (std::size_t i = html.find('<'); i != std::string_view::npos; i = html.find('<', i + 1)) {
        const bool end_tag = i + 1 < html.size() && html[i + 1] == '/';
        const std::size_t name_start = i + 1 + (end_tag ? 1 : 0);
        if (name_start >= html.size() || !is_ascii_alpha(html[name_start])) continue;
        std::size_t name_end = name_start;
        while (name_end < html.size() && (is_ascii_alpha(html[name_end]) || std::isdigit(static_cast<unsigned char>(html[name_end]))))
            ++name_end;
        if (is_flat_tag(html.substr(name_start, name_end - name_start))) continue;
        if (end_tag) {
            depth -= depth > 0 ? 1 : 0;
            continue;
        }
        const std::size_t close = html.find('>', name_end);
        if (close != std::string_view::npos && html[close - 1] == '/') continue;  // <x/>
        if (++depth > limits::kMaxSpamHtmlDepth) return i;
    }
    return html.size();
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
    const std::size_t length = bounded_html_length(html);
    GumboOutputPtr output(gumbo_parse_with_options(&options, html.data(), length));
    Renderer renderer(max_text, max_uris);
    if (output) renderer.walk(output->document);
    HtmlText result = renderer.take();
    if (length < html.size()) result.truncated = true;
    result.facts.has_html = true;
    result.facts.text_bytes = result.text.size();
    return result;
}

}  // namespace mw::spam
