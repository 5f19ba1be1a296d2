// SpamAssassin's HTMLEval tests (Plugin/HTMLEval.pm, SA 4.0.1) over the per-part facts the
// parser records (HtmlFacts::Part, as HTML.pm's results hash). Like SA, each test hits when any
// one text/html part satisfies it. Only the result keys we compute are accepted; a rule naming
// another key is refused at load time (unsupported), never silently false.
#include <algorithm>
#include <map>
#include <mutex>
#include <optional>
#include <string_view>

#include "milters/spam/regex/pcre_regex.hpp"
#include "milters/spam/scan/eval_registry.hpp"
#include "milters/spam/scan/header_text.hpp"

namespace mw::spam {

namespace {

using Part = HtmlFacts::Part;

const std::vector<Part>& html_parts(const ScanInput& in) { return in.message->html.parts; }

std::optional<double> ratio(int num, int den) {
    if (den <= 0) return std::nullopt;
    return static_cast<double>(num) / den;
}

/// HTML.pm's numeric result keys; nullopt where HTML.pm leaves the key undefined.
std::optional<double> numeric_value(const Part& p, std::string_view key) {
    if (key == "length") return static_cast<double>(p.length);
    if (key == "html_length") return static_cast<double>(p.html_length);
    if (key == "non_space_len") return static_cast<double>(p.non_space_len);
    if (key == "image_area") return p.image_area;
    if (key == "max_size") return p.max_size;
    if (key == "min_size") return p.min_size;
    if (key == "closed_extra_ratio") return ratio(p.closed_extra, p.tags);
    if (key == "bad_tag_ratio") return p.elements > 0 ? ratio(p.tags - p.elements, p.tags) : std::nullopt;
    if (key == "non_element_ratio")
        return p.elements_seen > 0 ? ratio(p.tags_seen - p.elements_seen, p.tags_seen) : std::nullopt;
    if (key == "obfuscation_ratio") return p.obfuscation > 0 ? ratio(p.obfuscation, p.tags) : std::nullopt;
    return std::nullopt;
}

bool is_numeric_key(std::string_view key) {
    for (std::string_view k : {"length", "html_length", "non_space_len", "image_area", "max_size", "min_size",
                               "closed_extra_ratio", "bad_tag_ratio", "non_element_ratio", "obfuscation_ratio"})
        if (key == k) return true;
    return false;
}

/// html_test keys: HTML.pm's put_results flags.
std::optional<bool> flag_value(const Part& p, std::string_view key) {
    if (key == "html") return true;
    if (key == "font_low_contrast") return p.font_low_contrast;
    if (key == "font_invalid_color") return p.font_invalid_color;
    if (key == "font_face_bad") return p.font_face_bad;
    if (key == "embeds") return p.embeds;
    if (key == "form_action_mailto") return p.form_action_mailto;
    return std::nullopt;
}

const std::vector<std::string>* text_list(const Part& p, std::string_view key) {
    if (key == "title") return &p.titles;
    if (key == "comment") return &p.comments;
    if (key == "anchor") return &p.anchors;
    return nullptr;
}

const int* inside(const Part& p, std::string_view tag) {
    for (const auto& [name, open] : p.inside)
        if (name == tag) return &open;
    return nullptr;
}

/// The "OP NUMBER" expressions html_eval and html_tag_balance take ("< 512", "!= 0").
struct Comparison {
    std::string op;
    double value = 0;
    bool test(double v) const {
        if (op == "<") return v < value;
        if (op == "<=") return v <= value;
        if (op == ">") return v > value;
        if (op == ">=") return v >= value;
        if (op == "==") return v == value;
        return v != value;
    }
};

std::optional<Comparison> parse_comparison(std::string_view expr) {
    auto skip = [&] { while (!expr.empty() && expr.front() == ' ') expr.remove_prefix(1); };
    skip();
    Comparison c;
    for (std::string_view op : {"<=", ">=", "==", "!=", "<", ">"})
        if (expr.starts_with(op)) {
            c.op = std::string(op);
            expr.remove_prefix(op.size());
            break;
        }
    if (c.op.empty()) return std::nullopt;
    skip();
    while (!expr.empty() && expr.back() == ' ') expr.remove_suffix(1);
    const bool negative = expr.starts_with('-');
    if (negative) expr.remove_prefix(1);
    if (expr.empty() || expr.size() > 9 || !std::all_of(expr.begin(), expr.end(), [](char ch) { return ch >= '0' && ch <= '9'; }))
        return std::nullopt;
    c.value = std::stod(std::string(expr)) * (negative ? -1 : 1);
    return c;
}

bool is_number(std::string_view s) {
    if (s.empty()) return false;
    try {
        std::size_t used = 0;
        (void)std::stod(std::string(s), &used);
        return used == s.size();
    } catch (...) {
        return false;
    }
}

/// Characters of UTF-8 text (Perl's length() on decoded strings).
std::size_t utf8_length(std::string_view s) {
    return static_cast<std::size_t>(std::count_if(s.begin(), s.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
}


// ---- the eval functions -------------------------------------------------------------------

int html_test(const ScanInput& in, const EvalArgs& a) {
    for (const Part& p : html_parts(in))
        if (flag_value(p, a[0]).value_or(false)) return 1;
    return 0;
}

std::string html_test_args(const EvalArgs& a) {
    if (a.size() != 1) return "takes one result name";
    return flag_value(Part{}, a[0]) ? "" : "HTML result " + a[0] + " not computed";
}

int html_range(const ScanInput& in, const EvalArgs& a) {
    const double min = std::stod(a[1]);
    const bool open_max = a.size() < 3 || a[2] == "inf";
    for (const Part& p : html_parts(in)) {
        const auto v = numeric_value(p, a[0]);
        if (!v) continue;
        if (open_max ? *v > min : (*v > min && *v <= std::stod(a[2]))) return 1;
    }
    return 0;
}

std::string html_range_args(const EvalArgs& a) {
    if (a.size() != 2 && a.size() != 3) return "takes a result name, min and max";
    if (!is_numeric_key(a[0])) return "HTML result " + a[0] + " not computed";
    if (!is_number(a[1]) || (a.size() == 3 && a[2] != "inf" && !is_number(a[2]))) return "min and max must be numbers";
    return "";
}

int html_eval(const ScanInput& in, const EvalArgs& a) {
    const auto cmp = parse_comparison(a[1]);
    for (const Part& p : html_parts(in))
        if (const auto v = numeric_value(p, a[0]); v && cmp->test(*v)) return 1;
    return 0;
}

std::string html_eval_args(const EvalArgs& a) {
    if (a.size() != 2) return "takes a result name and an expression";
    if (!is_numeric_key(a[0])) return "HTML result " + a[0] + " not computed";
    return parse_comparison(a[1]) ? "" : "expression not of the form 'OP NUMBER': " + a[1];
}

int html_tag_exists(const ScanInput& in, const EvalArgs& a) {
    for (const Part& p : html_parts(in))
        if (inside(p, a[0])) return 1;
    return 0;
}

std::string tag_arg(const std::string& tag) {
    const bool ok = !tag.empty() && std::all_of(tag.begin(), tag.end(), [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); });
    return ok ? "" : "tag name must be lowercase letters and digits: " + tag;
}

std::string html_tag_exists_args(const EvalArgs& a) {
    return a.size() == 1 ? tag_arg(a[0]) : "takes one tag name";
}

int html_tag_balance(const ScanInput& in, const EvalArgs& a) {
    const auto cmp = parse_comparison(a[1]);
    for (const Part& p : html_parts(in))
        if (const int* open = inside(p, a[0]); open && cmp->test(*open)) return 1;
    return 0;
}

std::string html_tag_balance_args(const EvalArgs& a) {
    if (a.size() != 2) return "takes a tag name and an expression";
    if (auto why = tag_arg(a[0]); !why.empty()) return why;
    return parse_comparison(a[1]) ? "" : "expression not of the form 'OP NUMBER': " + a[1];
}

int html_image_only(const ScanInput& in, const EvalArgs& a) {
    const double min = std::stod(a[0]), max = std::stod(a[1]);
    for (const Part& p : html_parts(in)) {
        const double len = static_cast<double>(p.length);
        if (inside(p, "img") && len > min && len <= max) return 1;
    }
    return 0;
}

int html_image_ratio(const ScanInput& in, const EvalArgs& a) {
    const double min = std::stod(a[0]), max = std::stod(a[1]);
    for (const Part& p : html_parts(in)) {
        if (p.image_area <= 0) continue;
        const double r = static_cast<double>(p.non_space_len) / p.image_area;
        if (r > min && r <= max) return 1;
    }
    return 0;
}

std::string min_max_args(const EvalArgs& a) {
    return a.size() == 2 && is_number(a[0]) && is_number(a[1]) ? "" : "takes two numbers";
}

template <bool kWant>
int html_text_test(const ScanInput& in, const EvalArgs& a) {
    const PcreRegex* re = cached_eval_regex(a[1]);
    if (re == nullptr) return 0;
    MatchScratch& scratch = eval_match_scratch();
    for (const Part& p : html_parts(in))
        for (const std::string& s : *text_list(p, a[0]))
            if (re->search(s, scratch).has_value() == kWant) return 1;
    return 0;
}

std::string html_text_args(const EvalArgs& a) {
    if (a.size() != 2) return "takes a text name and a regular expression";
    if (!text_list(Part{}, a[0])) return "HTML text " + a[0] + " not collected";
    auto re = PcreRegex::compile({a[1]});
    return re ? "" : "regex does not compile: " + a[1];
}

int html_title_subject_ratio(const ScanInput& in, const EvalArgs& a) {
    HeaderTarget target;
    target.kind = HeaderTarget::Kind::Named;
    target.name = "Subject";
    const std::string subject = header_text(in.message->headers, target, in.envelope.mail_from).value_or("");
    const std::size_t subject_chars = utf8_length(subject);  // SA: length($pms->get('Subject'))
    if (subject_chars == 0) return 0;
    const double limit = std::stod(a[0]);
    for (const Part& p : html_parts(in)) {
        double max = 0;
        for (const std::string& t : p.titles)
            if (!t.empty() && t != "0") max = std::max(max, static_cast<double>(utf8_length(t)) / subject_chars);
        if (max > limit) return 1;
    }
    return 0;
}

std::string one_number(const EvalArgs& a) {
    return a.size() == 1 && is_number(a[0]) ? "" : "takes one number";
}

/// SA compares the parts' meta charsets with ok_locales; its default "all" (the only setting we
/// have) makes the test false for every message.
int html_charset_faraway(const ScanInput&, const EvalArgs&) { return 0; }

int check_iframe_src(const ScanInput& in, const EvalArgs&) {
    for (const Part& p : html_parts(in))
        if (p.iframe_src) return 1;
    return 0;
}

}  // namespace

void register_html_evals(EvalRegistry& r) {
    r.add("html_test", {html_test, html_test_args});
    r.add("html_range", {html_range, html_range_args});
    r.add("html_eval", {html_eval, html_eval_args});
    r.add("html_tag_exists", {html_tag_exists, html_tag_exists_args});
    r.add("html_tag_balance", {html_tag_balance, html_tag_balance_args});
    r.add("html_image_only", {html_image_only, min_max_args});
    r.add("html_image_ratio", {html_image_ratio, min_max_args});
    r.add("html_text_match", {html_text_test<true>, html_text_args});
    r.add("html_text_not_match", {html_text_test<false>, html_text_args});
    r.add("html_title_subject_ratio", {html_title_subject_ratio, one_number});
    r.add("html_charset_faraway", {html_charset_faraway, no_args});
    r.add("check_iframe_src", {check_iframe_src, no_args});
}

}  // namespace mw::spam
