#include "milters/spam/mime/html_text_tags.hpp"

#include <algorithm>
#include <array>
#include <cctype>

#include "common/base/ascii.hpp"
#include "common/base/limits.hpp"

namespace mw::spam {
namespace {

// HTML.pm %elements, sorted for binary search.
constexpr std::array<std::string_view, 94> kElements = {
    "a", "abbr", "acronym", "address", "applet", "area", "b", "base", "basefont", "bdo", "big",
    "blockquote", "body", "br", "button", "caption", "center", "cite", "code", "col", "colgroup",
    "dd", "del", "dfn", "dir", "div", "dl", "dt", "em", "fieldset", "font", "form", "frame",
    "frameset", "h1", "h2", "h3", "h4", "h5", "h6", "head", "hr", "html", "i", "iframe", "img",
    "input", "ins", "isindex", "kbd", "label", "legend", "li", "link", "map", "menu", "meta",
    "nobr", "noframes", "noscript", "object", "ol", "optgroup", "option", "p", "param", "pre",
    "q", "s", "samp", "script", "select", "small", "span", "strike", "strong", "style", "sub",
    "sup", "table", "tbody", "td", "textarea", "tfoot", "th", "thead", "title", "tr", "tt", "u",
    "ul", "var", "x-sigsep", "x-tab"};

// Elements whose content HTML::Parser reports as text up to their end tag.
constexpr std::array<std::string_view, 7> kLiteral = {"script", "style",    "xmp",      "textarea",
                                                      "title",  "iframe",   "plaintext"};

/// Tags that never nest (void) or that the HTML parser closes by itself: not counted as depth.
constexpr std::array<std::string_view, 22> kFlat = {
    "br", "img", "hr", "input", "meta", "link", "area", "base", "col", "embed", "param",
    "source", "track", "wbr", "p", "li", "td", "th", "tr", "option", "dt", "dd"};

bool contains(const auto& list, std::string_view name) {
    return std::find(list.begin(), list.end(), name) != list.end();
}

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f'; }
bool is_alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool is_word(char c) { return is_alpha(c) || (c >= '0' && c <= '9') || c == '_'; }

/// HTML.pm: o:p, st1:place (Office namespaces) count as elements and are otherwise ignored.
bool is_office_namespace(std::string_view name) {
    std::size_t i = 0;
    if (name.starts_with("o:")) i = 2;
    else if (name.size() > 3 && name[0] == 's' && name[1] == 't' && std::isdigit(static_cast<unsigned char>(name[2])) && name[3] == ':') i = 4;
    else return false;
    if (name.ends_with('/')) name.remove_suffix(1);
    if (i >= name.size()) return false;
    return std::all_of(name.begin() + static_cast<long>(i), name.end(), [](char c) { return is_word(c) || c == '-'; });
}

class TagCounter {
public:
    explicit TagCounter(HtmlFacts::Part& part) : part_(part) {}

    /// SA html_tag: `delta` +1 for a start tag, -1 for an end tag.
    void tag(std::string_view name, int delta) {
        int* open = find(name);
        const bool seen = open != nullptr;
        if (is_html_element_name(name) || is_office_namespace(name)) {
            ++part_.elements;
            if (!seen) ++part_.elements_seen;
        }
        ++part_.tags;
        if (!seen) ++part_.tags_seen;
        if (open == nullptr) open = add(name);
        if (open == nullptr) return;
        *open += delta;
        if (*open < 0) {
            *open = 0;
            ++part_.closed_extra;
        }
    }

    void doctype() {
        ++part_.elements;
        ++part_.tags;
        if (int* open = find("!doctype")) *open = 0;
        else if ((open = add("!doctype"))) *open = 0;
    }

    void comment(std::string_view text) {
        if (part_.comments.size() >= limits::kMaxSpamHtmlTexts) return;
        part_.comments.emplace_back(text.substr(0, limits::kMaxSpamHtmlTextItem));
    }

private:
    int* find(std::string_view name) {
        for (auto& [n, count] : part_.inside)
            if (n == name) return &count;
        return nullptr;
    }
    int* add(std::string_view name) {
        if (part_.inside.size() >= limits::kMaxSpamHtmlTagNames) return nullptr;
        part_.inside.emplace_back(std::string(name), 0);
        return &part_.inside.back().second;
    }

    HtmlFacts::Part& part_;
};

/// Finds the '>' ending a start tag whose name ends at `i`; quoted attribute values may hold
/// '>'. npos when the tag is never closed (HTML::Parser then gives up on it as text).
std::size_t start_tag_end(std::string_view html, std::size_t i) {
    while (i < html.size()) {
        const char c = html[i];
        if (c == '>') return i;
        if (c != '=') {
            ++i;
            continue;
        }
        ++i;
        while (i < html.size() && is_space(html[i])) ++i;
        if (i < html.size() && (html[i] == '"' || html[i] == '\'')) {
            const std::size_t close = html.find(html[i], i + 1);
            if (close == std::string_view::npos) return html.find('>', i);
            i = close + 1;
        }
    }
    return std::string_view::npos;
}

/// Lowercase tag name at html[i..] into `buf` (cut at its size); returns the end of the name.
std::size_t read_name(std::string_view html, std::size_t i, std::string& buf) {
    buf.clear();
    while (i < html.size() && !is_space(html[i]) && html[i] != '>') {
        if (buf.size() < 64) buf += static_cast<char>(std::tolower(static_cast<unsigned char>(html[i])));
        ++i;
    }
    return i;
}

/// Position after the literal-text body of `name` (the start of its end tag), npos if none.
std::size_t literal_end(std::string_view html, std::size_t from, std::string_view name) {
    if (name == "plaintext") return std::string_view::npos;
    for (std::size_t i = html.find("</", from); i != std::string_view::npos; i = html.find("</", i + 2)) {
        if (html.size() - i - 2 >= name.size() && iequals_ascii(html.substr(i + 2, name.size()), name)) {
            const std::size_t after = i + 2 + name.size();
            if (after == html.size() || is_space(html[after]) || html[after] == '>') return i;
        }
    }
    return std::string_view::npos;
}

class Scanner {
public:
    Scanner(std::string_view html, HtmlFacts::Part& part) : html_(html), counter_(part) {}

    std::size_t run() {
        std::size_t i = html_.find('<');
        while (i != std::string_view::npos && i + 1 < html_.size()) {
            const std::size_t next = token(i);
            if (next == std::string_view::npos || cut_ != std::string_view::npos) break;
            i = html_.find('<', next);
        }
        return cut_ == std::string_view::npos ? html_.size() : cut_;
    }

private:
    /// Handles the token at html_[i] == '<'; returns where scanning goes on (npos: done).
    std::size_t token(std::size_t i) {
        const char c = html_[i + 1];
        if (c == '!') return markup(i);
        if (c == '?') return after(html_.find('>', i));
        if (c == '/') return end_tag(i);
        if (is_alpha(c)) return start_tag(i);
        return i + 1;
    }

    std::size_t after(std::size_t gt) const { return gt == std::string_view::npos ? gt : gt + 1; }

    std::size_t markup(std::size_t i) {
        if (html_.substr(i, 4) == "<!--") {
            const std::size_t close = html_.find("-->", i + 4);
            if (close == std::string_view::npos) return close;
            counter_.comment(html_.substr(i, close + 3 - i));
            return close + 3;
        }
        const std::size_t gt = html_.find('>', i);
        if (gt == std::string_view::npos) return gt;
        const std::string_view text = html_.substr(i, gt + 1 - i);
        if (text.size() >= 9 && iequals_ascii(text.substr(0, 9), "<!doctype")) counter_.doctype();
        else if (!text.starts_with("<![CDATA[")) counter_.comment(text);
        return gt + 1;
    }

    std::size_t end_tag(std::size_t i) {
        const std::size_t gt = html_.find('>', i);
        if (gt == std::string_view::npos) return gt;
        if (i + 2 >= html_.size() || !is_alpha(html_[i + 2])) {
            counter_.comment(html_.substr(i, gt + 1 - i));  // "</ b>": HTML::Parser's comment
            return gt + 1;
        }
        read_name(html_, i + 2, name_);
        counter_.tag(name_, -1);
        if (!contains(kFlat, name_)) depth_ -= depth_ > 0 ? 1 : 0;
        return gt + 1;
    }

    std::size_t start_tag(std::size_t i) {
        const std::size_t name_end = read_name(html_, i + 1, name_);
        const std::size_t gt = start_tag_end(html_, name_end);
        if (gt == std::string_view::npos) return gt;
        // HTML.pm's s/<(\w+)\s*\/>/<$1>/: "<br/>" and "<br />" are "br".
        if (name_.ends_with('/') && gt == name_end && std::all_of(name_.begin(), name_.end() - 1, is_word))
            name_.pop_back();
        const bool self_closed = html_[gt - 1] == '/';
        counter_.tag(name_, +1);
        if (!self_closed && !contains(kFlat, name_) && ++depth_ > limits::kMaxSpamHtmlDepth) cut_ = i;
        if (!contains(kLiteral, name_)) return gt + 1;
        return literal_end(html_, gt + 1, name_);
    }

    std::string_view html_;
    TagCounter counter_;
    std::string name_;
    std::size_t depth_ = 0;
    std::size_t cut_ = std::string_view::npos;
};

}  // namespace

bool is_html_element_name(std::string_view name) {
    return std::binary_search(kElements.begin(), kElements.end(), name);
}

std::size_t scan_html_tags(std::string_view html, HtmlFacts::Part& part) {
    Scanner scanner(html, part);
    return scanner.run();
}

}  // namespace mw::spam
