// HtmlTextStyle: the font colour and size stack SpamAssassin's HTML.pm keeps while rendering
// (text_style, close_tag, close_table_tag, name_to_rgb, parse_css_background), and the tests it
// runs on it: font_low_contrast and font_invalid_color per text run (html_font_invisible),
// min/max font size, font_face_bad (html_tests). Colours are kept as HTML.pm's strings
// ("#rrggbb", "#", "invalid", "transparent") because HTML.pm compares their last six characters.
// Bounds: at most kMaxSpamHtmlStyleDepth styles stacked (deeper ones share the top).
// Thread-safety: one object per HTML part; name_to_rgb and font_face_is_bad are pure.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "milters/spam/mime/parsed_message.hpp"

namespace mw::spam {

/// A colour as HTML.pm's string, stored inline (no allocation per tag).
class HtmlColor {
public:
    HtmlColor() = default;
    explicit HtmlColor(std::string_view s);
    std::string_view str() const { return {text_.data(), size_}; }
    bool operator==(const HtmlColor& o) const { return str() == o.str(); }

private:
    std::array<char, 12> text_{};
    std::uint8_t size_ = 0;
};

/// HTML.pm name_to_rgb: a colour name, "#rgb", "#rrggbb" or rgb() to "#rrggbb"; else "invalid".
HtmlColor name_to_rgb(std::string_view value);

/// HTML.pm html_tests: true when a <font face> value is not a plain list of font names.
bool font_face_is_bad(std::string_view face);

/// Attribute (name, value) pairs of one start tag, names lowercase.
using HtmlAttributes = std::vector<std::pair<std::string_view, std::string_view>>;

class HtmlTextStyle {
public:
    explicit HtmlTextStyle(HtmlFacts::Part& part);

    /// A start tag written in the source (`tag` lowercase, a static string).
    void start(std::string_view tag, const HtmlAttributes& attrs);
    /// An end tag written in the source.
    void end(std::string_view tag);
    /// A text run with something other than white space in it.
    void text();

private:
    struct Style {
        std::string_view tag;
        HtmlColor fg;
        HtmlColor bg;
        long long size = 3;
    };
    void apply(Style& s, std::string_view name, std::string_view value);
    void apply_css(Style& s, std::string_view css);
    void close_table_tag(std::string_view tag);
    void push(Style s);

    HtmlFacts::Part& part_;
    std::vector<Style> stack_;
    long long basefont_ = 3;
};

}  // namespace mw::spam
