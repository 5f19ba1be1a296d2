#include "milters/spam/mime/html_text_style.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "common/base/ascii.hpp"
#include "common/base/limits.hpp"

namespace mw::spam {
namespace {

struct NamedColor {
    std::string_view name;
    std::uint32_t rgb;
};

// The CSS/X11 colour keywords HTML.pm knows, sorted by name.
constexpr NamedColor kNamedColors[] = {
#include "milters/spam/mime/html_text_colors.inc"
};

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }
bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_lower(char c) { return c >= 'a' && c <= 'z'; }
bool is_hex(char c) { return is_digit(c) || (c >= 'a' && c <= 'f'); }

std::string_view trim(std::string_view s) {
    while (!s.empty() && is_space(s.front())) s.remove_prefix(1);
    while (!s.empty() && is_space(s.back())) s.remove_suffix(1);
    return s;
}

/// Leading decimal digits as a number, capped (HTML.pm compares against 255 and font sizes).
long long leading_number(std::string_view s, std::size_t* used = nullptr) {
    long long n = 0;
    std::size_t i = 0;
    for (; i < s.size() && is_digit(s[i]); ++i) n = std::min<long long>(n * 10 + (s[i] - '0'), 1'000'000'000);
    if (used) *used = i;
    return n;
}

std::string hex_of(long long n) {
    char buf[24];
    std::snprintf(buf, sizeof buf, n < 16 ? "0%llx" : "%llx", n);
    return buf;
}

/// Finds "rgb(A%, B%, C%)" (percent) or "rgb(A, B, C)" anywhere in s (HTML.pm's two regexes).
bool find_rgb(std::string_view s, bool percent, long long out[3]) {
    for (std::size_t at = s.find("rgb("); at != std::string_view::npos; at = s.find("rgb(", at + 1)) {
        std::size_t i = at + 4;
        bool ok = true;
        for (int k = 0; k < 3 && ok; ++k) {
            std::size_t used = 0;
            out[k] = leading_number(s.substr(i), &used);
            i += used;
            ok = used > 0 && (!percent || (i < s.size() && s[i++] == '%'));
            if (ok && k < 2) {
                ok = i < s.size() && s[i++] == ',';
                while (ok && i < s.size() && is_space(s[i])) ++i;
            }
        }
        while (ok && i < s.size() && is_space(s[i])) ++i;
        if (ok && i < s.size() && s[i] == ')') return true;
    }
    return false;
}

/// The "#..." branch of name_to_rgb: hex digits only, 3 or 6 of them.
HtmlColor hash_color(std::string_view c) {
    std::string hex;
    for (char ch : c)
        if (is_hex(ch)) hex += ch;
    if (hex.size() > 6) hex.resize(6);
    if (hex.size() > 3 && hex.size() < 6) hex.resize(3);
    while (hex.size() % 3 != 0) hex += '0';
    if (hex.size() == 3) hex = {hex[0], hex[0], hex[1], hex[1], hex[2], hex[2]};
    return HtmlColor("#" + hex);
}

long long css_channel(std::string_view digits) {
    if (digits.empty()) return 0;
    return std::min(leading_number(digits), 255LL);
}

/// style="color: rgb(...)": HTML.pm keeps digits and commas and takes the first three fields.
HtmlColor css_rgb(std::string_view value) {
    std::string kept;
    for (char c : value)
        if (is_digit(c) || c == ',') kept += c;
    long long rgb[3] = {0, 0, 0};
    std::string_view rest = kept;
    for (int k = 0; k < 3 && !rest.empty(); ++k) {
        const std::size_t comma = rest.find(',');
        rgb[k] = css_channel(rest.substr(0, comma));
        rest = comma == std::string_view::npos ? std::string_view() : rest.substr(comma + 1);
    }
    char buf[16];
    std::snprintf(buf, sizeof buf, "#%02llx%02llx%02llx", rgb[0], rgb[1], rgb[2]);
    return HtmlColor(buf);
}

/// HTML.pm parse_css_background, keeping only the last layer's tokens (all the caller reads).
std::vector<std::string> last_background_layer(std::string_view bg) {
    std::vector<std::string> tokens, last;
    std::string token;
    int stack[3] = {0, 0, 0};
    int depth = 0, state = 0;
    auto enter = [&](int next) { if (depth < 3) stack[depth++] = state; state = next; };
    auto leave = [&] { state = depth > 0 ? stack[--depth] : 0; };
    for (char ch : bg) {
        if (state == 0 && (ch == ' ' || ch == ',')) {
            if (!token.empty()) tokens.push_back(std::move(token));
            token.clear();
            if (ch == ',') last = std::move(tokens), tokens.clear();
            continue;
        }
        token += ch;
        if (state == 0 || state == 1) {
            if (ch == '(' && state == 0) enter(1);
            else if (ch == ')' && state == 1) { tokens.push_back(std::move(token)); token.clear(); leave(); }
            else if (ch == '"') enter(2);
            else if (ch == '\'') enter(3);
        } else if ((state == 2 && ch == '"') || (state == 3 && ch == '\'')) {
            leave();
        }
    }
    if (!token.empty()) tokens.push_back(std::move(token));
    return tokens.empty() ? last : tokens;
}

/// One font name of a face list: a run of [a-z -] that starts as `first_ok` allows and ends in
/// a letter, at least two characters; returns its end or npos.
std::size_t font_name_end(std::string_view s, std::size_t i, bool allow_space_first) {
    std::size_t e = i;
    while (e < s.size() && (is_lower(s[e]) || s[e] == ' ' || s[e] == '-')) ++e;
    const bool first_ok = i < e && (is_lower(s[i]) || (allow_space_first && s[i] == ' '));
    if (!first_ok || e - i < 2 || !is_lower(s[e - 1])) return std::string_view::npos;
    return e;
}

}  // namespace

HtmlColor::HtmlColor(std::string_view s) {
    size_ = static_cast<std::uint8_t>(std::min(s.size(), text_.size()));
    std::copy_n(s.begin(), size_, text_.begin());
}

HtmlColor name_to_rgb(std::string_view value) {
    const std::string lower = to_lower_ascii(value);
    const std::string_view c = trim(lower);
    const auto* named = std::lower_bound(std::begin(kNamedColors), std::end(kNamedColors), c,
                                         [](const NamedColor& n, std::string_view v) { return n.name < v; });
    if (named != std::end(kNamedColors) && named->name == c) {
        char buf[16];
        std::snprintf(buf, sizeof buf, "#%06x", static_cast<unsigned>(named->rgb));
        return HtmlColor(buf);
    }
    const bool hexish = std::all_of(c.begin(), c.end(), [](char ch) { return ch == '#' || is_hex(ch); });
    long long rgb[3];
    std::string converted(c);
    if (find_rgb(c, true, rgb)) {
        for (long long& v : rgb) v = static_cast<long long>(std::floor(static_cast<double>(v) / 100 * 255));
        converted = "#" + hex_of(rgb[0]) + hex_of(rgb[1]) + hex_of(rgb[2]);
    } else if (!hexish && find_rgb(c, false, rgb)) {
        converted = "#" + hex_of(rgb[0]) + hex_of(rgb[1]) + hex_of(rgb[2]);
    } else if (!hexish) {
        return HtmlColor("invalid");  // neither hex nor a complete rgb(): HTML.pm gives up
    }
    if (!converted.starts_with('#')) return HtmlColor("invalid");
    return hash_color(std::string_view(converted).substr(1));
}

bool font_face_is_bad(std::string_view face) {
    const std::string lower = to_lower_ascii(face);
    std::string_view s = lower;
    if (s.ends_with('\n')) s.remove_suffix(1);  // Perl's $ matches before a final newline
    std::size_t i = 0;
    while (i < s.size() && is_space(s[i])) ++i;
    bool prefixed = i < s.size() && (s[i] == '"' || s[i] == '\'' || s[i] == '.');
    if (prefixed) ++i;
    std::size_t e = font_name_end(s, i, true);
    // \s* may give back one space to [a-z ] when nothing was quoted.
    if (e == std::string_view::npos && !prefixed && i > 0 && s[i - 1] == ' ') e = font_name_end(s, i - 1, true);
    while (e != std::string_view::npos) {
        if (e < s.size() && is_digit(s[e])) ++e;
        if (e < s.size() && (s[e] == '"' || s[e] == '\'')) ++e;
        if (e == s.size() || (s[e] == ';' && e + 1 == s.size())) return false;
        if (s[e] != ',') return true;
        i = e + 1;
        while (i < s.size() && is_space(s[i])) ++i;
        if (i < s.size() && (s[i] == '"' || s[i] == '\'')) ++i;
        e = font_name_end(s, i, false);
    }
    return true;
}

HtmlTextStyle::HtmlTextStyle(HtmlFacts::Part& part) : part_(part) {
    stack_.reserve(16);
    stack_.push_back({"default", HtmlColor("#000000"), HtmlColor("#ffffff"), 3});
}

void HtmlTextStyle::push(Style s) {
    if (stack_.size() >= limits::kMaxSpamHtmlStyleDepth) stack_.back() = s;
    else stack_.push_back(s);
}

void HtmlTextStyle::close_table_tag(std::string_view tag) {
    if (std::none_of(stack_.begin(), stack_.end(), [&](const Style& s) { return s.tag == tag; })) return;
    while (stack_.size() > 1) {
        const std::string_view top = stack_.back().tag;
        const bool pop = top == "font" || top == "td" || (tag == "tr" && top == "tr");
        if (!pop) break;
        stack_.pop_back();
    }
}

void HtmlTextStyle::start(std::string_view tag, const HtmlAttributes& attrs) {
    if (tag == "th") tag = "td";
    if (tag == "basefont") {
        for (const auto& [name, value] : attrs) {
            if (name != "size") continue;
            std::size_t i = 0, used = 0;
            while (i < value.size() && is_space(value[i])) ++i;
            const long long n = leading_number(value.substr(i), &used);
            if (used == 0) break;
            basefont_ = n;  // <basefont size=N> sets the base and opens no style
            return;
        }
    }
    if (tag == "td" || tag == "tr") close_table_tag(tag);
    Style s = stack_.back();
    s.tag = tag;
    if (tag == "big" || tag == "small") {
        s.size += tag == "big" ? 1 : -1;
        push(s);
        return;
    }
    for (const auto& [name, value] : attrs) {
        const bool ok = ((tag == "font" || tag == "basefont") && (name == "color" || name == "face" || name == "size")) ||
                        (tag == "body" && (name == "text" || name == "bgcolor" || name == "link" || name == "alink" ||
                                           name == "vlink" || name == "background")) ||
                        ((tag == "table" || tag == "td" || tag == "tr") && (name == "bgcolor" || name == "style")) ||
                        ((tag == "span" || tag == "p" || tag == "div" || tag == "a") && name == "style");
        if (!ok) continue;
        apply(s, name, value);
        if (s.size > part_.max_size) part_.max_size = static_cast<int>(std::min(s.size, 1'000'000LL));
        else if (s.size < part_.min_size) part_.min_size = static_cast<int>(std::max(s.size, -1'000'000LL));
    }
    push(s);
}

void HtmlTextStyle::apply(Style& s, std::string_view name, std::string_view value) {
    if (name == "text" || name == "color") {
        s.fg = name_to_rgb(value);
    } else if (name == "size") {
        std::size_t i = 0;
        while (i < value.size() && is_space(value[i])) ++i;
        std::size_t used = 0;
        if (i < value.size() && (value[i] == '+' || value[i] == '-')) {
            const long long n = leading_number(value.substr(i + 1), &used);
            if (used > 0) s.size = basefont_ + (value[i] == '-' ? -n : n);
        } else {
            const long long n = leading_number(value.substr(i), &used);
            if (used > 0) s.size = n;
        }
    } else if (name == "style") {
        apply_css(s, value);
    }
    // bgcolor: HTML.pm rewrites the attribute but never stores it in the style (its own bug),
    // so only CSS background colours count.
}

void HtmlTextStyle::apply_css(Style& s, std::string_view css) {
    while (!css.empty()) {
        const std::size_t semi = css.find(';');
        std::string_view decl = css.substr(0, semi);
        css = semi == std::string_view::npos ? std::string_view() : css.substr(semi + 1);
        while (!decl.empty() && is_space(decl.front())) decl.remove_prefix(1);
        const bool bg_color = decl.size() >= 17 && iequals_ascii(decl.substr(0, 17), "background-color:");
        const bool fg_color = decl.size() >= 6 && iequals_ascii(decl.substr(0, 6), "color:");
        const bool background = decl.starts_with("background:");
        if (!bg_color && !fg_color && !background) continue;
        const std::string_view raw = trim(decl.substr(bg_color ? 17 : fg_color ? 6 : 11));
        if (raw.empty() || raw.find('\n') != std::string_view::npos) continue;  // Perl's (.+?)$
        std::string value = to_lower_ascii(raw);
        if (background) {
            for (const std::string& token : last_background_layer(value)) {
                const HtmlColor c = name_to_rgb(token);
                if (c.str() != "invalid") {
                    s.bg = c;
                    break;
                }
            }
            continue;
        }
        // s/\s*!\s*important$//
        if (value.ends_with("important")) {
            std::string_view v(value);
            v.remove_suffix(9);
            while (!v.empty() && is_space(v.back())) v.remove_suffix(1);
            if (v.ends_with('!')) {
                v.remove_suffix(1);
                while (!v.empty() && is_space(v.back())) v.remove_suffix(1);
                value.resize(v.size());
            }
        }
        HtmlColor& target = bg_color ? s.bg : s.fg;
        if (value.find("rgb") != std::string::npos) target = css_rgb(value);
        else if (value == "inherit") continue;
        else if (value == "transparent") target = HtmlColor("transparent");
        else target = name_to_rgb(value);
    }
    if (s.bg.str() == "transparent") s.bg = stack_.back().bg;
    if (s.fg.str() == "transparent") s.fg = s.bg;
}

void HtmlTextStyle::end(std::string_view tag) {
    if (tag == "th") tag = "td";
    if (tag == "body") return;  // browsers render text after </body>
    if (std::none_of(stack_.begin() + 1, stack_.end(), [&](const Style& s) { return s.tag == tag; })) return;
    while (stack_.size() > 1) {
        const bool found = stack_.back().tag == tag;
        stack_.pop_back();
        if (found) break;
    }
}

void HtmlTextStyle::text() {
    const Style& s = stack_.back();
    const std::string_view fg = s.fg.str(), bg = s.bg.str();
    auto tail6 = [](std::string_view c) { return c.substr(c.size() > 6 ? c.size() - 6 : 0); };
    if (tail6(fg) == tail6(bg)) {
        part_.font_low_contrast = true;
        return;
    }
    auto channels = [](std::string_view c, int out[3]) {
        if (c.starts_with('#')) c.remove_prefix(1);
        if (c.size() != 6 || !std::all_of(c.begin(), c.end(), is_hex)) return false;
        auto nibble = [](char h) { return is_digit(h) ? h - '0' : h - 'a' + 10; };
        for (int k = 0; k < 3; ++k) out[k] = nibble(c[2 * k]) * 16 + nibble(c[2 * k + 1]);
        return true;
    };
    int f[3], b[3];
    if (channels(fg, f) && channels(bg, b)) {
        const double r = 0.2126 * (f[0] - b[0]), g = 0.7152 * (f[1] - b[1]), bl = 0.0722 * (f[2] - b[2]);
        if (std::sqrt(r * r + g * g + bl * bl) < 12) {
            part_.font_low_contrast = true;
            return;
        }
    }
    if (fg == "invalid" || bg == "invalid") part_.font_invalid_color = true;
}

}  // namespace mw::spam
