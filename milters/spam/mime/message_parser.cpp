#include "milters/spam/mime/message_parser.hpp"

#include <gmime/gmime.h>

#include <algorithm>
#include <cctype>
#include <mutex>
#include <unordered_map>
#include <unordered_set>

#include "common/base/ascii.hpp"
#include "common/base/c_handle.hpp"
#include "common/base/limits.hpp"
#include "milters/spam/mime/body_text.hpp"
#include "milters/spam/mime/charset_converter.hpp"
#include "milters/spam/mime/header_block.hpp"
#include "milters/spam/mime/html_text.hpp"
#include "milters/spam/mime/mime_input.hpp"
#include "milters/spam/mime/mime_structure.hpp"
#include "milters/spam/mime/transfer_decoder.hpp"
#include "milters/spam/mime/uri_canonicalizer.hpp"
#include "milters/spam/mime/uri_finder.hpp"

namespace mw::spam {
namespace {

void unref(gpointer p) { g_object_unref(p); }
template <typename T>
using GObjectPtr = CHandle<T, unref>;
using ParserOptionsPtr = CHandle<GMimeParserOptions, g_mime_parser_options_free>;

/// What one text leaf contributes, in walk order (SA renders per leaf, then joins).
struct LeafText {
    std::string rendered;  // for body_lines; empty when the type is not rendered
    bool has_rendered = false;
    bool html = false;          // rendered as HTML
    bool html_has_image = false;
};

/// A multipart/alternative container: the leaves_ indexes of its descendants.
struct AlternativeRange {
    std::size_t first = 0, end = 0;
};

std::string lower_header(GMimeObject* obj, const char* name) {
    const char* v = g_mime_object_get_header(obj, name);
    if (v == nullptr) return {};
    std::string_view s(v);
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r' || s.back() == '\n'))
        s.remove_suffix(1);
    return to_lower_ascii(s);
}

std::vector<HeaderField> headers_of(GMimeObject* obj) {
    std::vector<HeaderField> out;
    GMimeHeaderList* list = g_mime_object_get_header_list(obj);
    const int n = list ? g_mime_header_list_get_count(list) : 0;
    for (int i = 0; i < n && out.size() < limits::kMaxSpamHeaderFields; ++i) {
        GMimeHeader* h = g_mime_header_list_get_header_at(list, i);
        const char* raw = g_mime_header_get_raw_value(h);
        std::string_view value = raw ? raw : "";
        if (value.size() > limits::kMaxSpamHeaderValue) value = value.substr(0, limits::kMaxSpamHeaderValue);
        out.push_back(make_header_field(g_mime_header_get_name(h), value));
    }
    return out;
}

void describe_type(GMimeObject* obj, MimePart& part) {
    GMimeContentType* ct = g_mime_object_get_content_type(obj);
    if (ct == nullptr) {
        part.content_type = "text/plain";
        return;
    }
    const char* type = g_mime_content_type_get_media_type(ct);
    const char* sub = g_mime_content_type_get_media_subtype(ct);
    part.content_type = to_lower_ascii(std::string(type ? type : "text") + "/" + (sub ? sub : "plain"));
    const char* cs = g_mime_content_type_get_parameter(ct, "charset");
    part.charset = cs ? to_lower_ascii(cs) : "";
    part.transfer_encoding = lower_header(obj, "Content-Transfer-Encoding");
}

/// SA effective_type: a part named *.htm(l)/*.shtml is HTML whatever its type says.
std::string effective_type(const MimePart& part) {
    const std::string name = to_lower_ascii(part.filename);
    for (std::string_view ext : {".html", ".htm", ".shtml", ".shtm"})
        if (name.ends_with(ext)) return "text/html";
    return part.content_type;
}

/// Builds a ParsedMessage while walking the GMime tree in SA's order (pre-order).
class MessageBuilder {
public:
    MessageBuilder(ParsedMessage& msg, const MimeLimits& limits) : msg_(msg), limits_(limits) {}

    void walk(GMimeObject* obj, int depth, std::vector<HeaderField> headers);
    void add_plain_body(std::string_view body);
    void finish();

private:
    bool admit_part(int depth);
    void truncate(std::string_view why);
    void leaf(GMimeObject* obj, MimePart part);
    void text_leaf(MimePart& part, std::string_view raw);
    void alternative_difference();
    std::string read_content(GMimePart* part, std::size_t& raw_size);
    std::string decode(const MimePart& part, std::string_view raw);
    void add_rawbody(std::string_view text);
    void render(const std::string& type, std::string text);
    void add_uri(std::string_view raw, FoundUri::Source source);

    ParsedMessage& msg_;
    const MimeLimits& limits_;
    std::size_t decoded_used_ = 0;
    std::size_t text_used_ = 0;
    std::vector<LeafText> leaves_;
    std::vector<AlternativeRange> alternatives_;
    std::vector<HtmlUri> html_uris_;
    std::unordered_set<std::string> seen_uris_;
};

void MessageBuilder::truncate(std::string_view why) {
    if (!msg_.truncated) msg_.truncated_why = std::string(why);
    msg_.truncated = true;
}

bool MessageBuilder::admit_part(int depth) {
    if (depth > limits_.max_depth) {
        truncate("max_depth");
        return false;
    }
    if (msg_.parts.size() >= limits_.max_parts) {
        truncate("max_parts");
        return false;
    }
    return true;
}

void MessageBuilder::walk(GMimeObject* obj, int depth, std::vector<HeaderField> headers) {
    if (obj == nullptr || !admit_part(depth)) return;
    MimePart part;
    part.depth = depth;
    part.headers = std::move(headers);
    describe_type(obj, part);
    if (GMIME_IS_MULTIPART(obj)) {
        part.leaf = false;
        msg_.parts.push_back(std::move(part));
        auto* mp = GMIME_MULTIPART(obj);
        const int n = g_mime_multipart_get_count(mp);
        const bool alternative = msg_.parts.back().content_type == "multipart/alternative";
        const std::size_t first_leaf = leaves_.size();
        if (n == 0) {  // no boundary line found: show what there is as text, as SA would
            const char* prologue = g_mime_multipart_get_prologue(mp);
            if (prologue != nullptr) add_plain_body(prologue);
        }
        for (int i = 0; i < n; ++i) {
            GMimeObject* child = g_mime_multipart_get_part(mp, i);
            walk(child, depth + 1, headers_of(child));
        }
        if (alternative) alternatives_.push_back({first_leaf, leaves_.size()});
        return;
    }
    if (GMIME_IS_MESSAGE_PART(obj)) {
        part.leaf = false;
        msg_.parts.push_back(std::move(part));
        GMimeMessage* inner = g_mime_message_part_get_message(GMIME_MESSAGE_PART(obj));
        if (inner != nullptr)
            walk(g_mime_message_get_mime_part(inner), depth + 1, headers_of(GMIME_OBJECT(inner)));
        return;
    }
    leaf(obj, std::move(part));
}

std::string MessageBuilder::read_content(GMimePart* part, std::size_t& raw_size) {
    GMimeDataWrapper* wrapper = g_mime_part_get_content(part);
    GMimeStream* stream = wrapper ? g_mime_data_wrapper_get_stream(wrapper) : nullptr;
    if (stream == nullptr) return {};
    const gint64 len = g_mime_stream_length(stream);
    raw_size = len > 0 ? static_cast<std::size_t>(len) : 0;
    // Base64 needs 4/3 of its output; reading more than that cannot add decoded bytes.
    const std::size_t budget = limits_.max_decoded_bytes - decoded_used_;
    const std::size_t cap = budget / 3 * 4 + budget / 16 + 1024;
    std::string raw;
    raw.resize(std::min(raw_size, cap));
    g_mime_stream_reset(stream);
    std::size_t got = 0;
    while (got < raw.size()) {
        const ssize_t n = g_mime_stream_read(stream, raw.data() + got, raw.size() - got);
        if (n <= 0) break;
        got += static_cast<std::size_t>(n);
    }
    raw.resize(got);
    return raw;
}

std::string MessageBuilder::decode(const MimePart& part, std::string_view raw) {
    const std::size_t budget = limits_.max_decoded_bytes - decoded_used_;
    std::string out;
    bool cut = false;
    if (part.transfer_encoding == "base64") {
        out.reserve(raw.size() / 4 * 3);
        cut = decode_base64(raw, out, budget);
    } else if (part.transfer_encoding == "quoted-printable") {
        out.reserve(raw.size());
        cut = decode_quoted_printable(raw, out, budget);
    } else {
        cut = raw.size() > budget;
        out.assign(raw.substr(0, budget));
    }
    if (cut) truncate("max_decoded_bytes");
    decoded_used_ += out.size();
    std::erase(out, '\r');  // SA turns CRLF into LF in text parts
    return out;
}

void MessageBuilder::leaf(GMimeObject* obj, MimePart part) {
    if (GMIME_IS_PART(obj)) {
        const char* name = g_mime_part_get_filename(GMIME_PART(obj));
        part.filename = name ? name : "";
    }
    const std::string type = effective_type(part);
    const bool text = type.starts_with("text/") || type.starts_with("message/");
    std::string raw;
    if (GMIME_IS_PART(obj)) {
        if (text) raw = read_content(GMIME_PART(obj), part.raw_size);
        else {
            GMimeDataWrapper* w = g_mime_part_get_content(GMIME_PART(obj));
            GMimeStream* s = w ? g_mime_data_wrapper_get_stream(w) : nullptr;
            const gint64 len = s ? g_mime_stream_length(s) : 0;
            part.raw_size = len > 0 ? static_cast<std::size_t>(len) : 0;
            // Not decoded (not scanned): estimate, base64 carries 3 bytes per 4.
            part.decoded_size = part.transfer_encoding == "base64" ? part.raw_size / 4 * 3 : part.raw_size;
        }
    }
    leaves_.emplace_back();
    if (text) {
        const std::string decoded = decode(part, raw);
        part.decoded_size = decoded.size();
        text_leaf(part, decoded);
    }
    msg_.parts.push_back(std::move(part));
}

void MessageBuilder::text_leaf(MimePart& part, std::string_view decoded) {
    std::string utf8 = to_utf8(decoded, part.charset);
    part.rawbody_first = msg_.rawbody_lines.size();
    if (part.content_type != "text/calendar") add_rawbody(utf8);
    part.rawbody_count = msg_.rawbody_lines.size() - part.rawbody_first;
    const std::string type = effective_type(part);
    if (type == "text/plain" || type == "text/html") render(type, std::move(utf8));
}

void MessageBuilder::add_rawbody(std::string_view text) {
    if (text_used_ + text.size() > limits_.max_text_bytes) {
        truncate("max_text_bytes");
        text = text.substr(0, limits_.max_text_bytes - text_used_);
    }
    text_used_ += text.size();
    split_into_short_paragraphs(text, msg_.rawbody_lines);
}

void MessageBuilder::render(const std::string& type, std::string text) {
    LeafText& leaf = leaves_.back();
    leaf.has_rendered = true;
    const std::size_t room = limits_.max_text_bytes > text_used_ ? limits_.max_text_bytes - text_used_ : 0;
    if (type == "text/html") {
        if (text.empty()) return;
        HtmlText html = render_html(text, room, limits_.max_uris);
        if (html.truncated) truncate("html bounds");
        msg_.html.has_html = true;
        leaf.html = true;
        leaf.html_has_image = html.facts.images > 0;
        msg_.html.tags += html.facts.tags;
        msg_.html.images += html.facts.images;
        msg_.html.text_bytes += html.facts.text_bytes;
        if (msg_.html.title.empty()) msg_.html.title = std::move(html.facts.title);
        for (auto& part : html.facts.parts) msg_.html.parts.push_back(std::move(part));
        for (auto& u : html.uris) html_uris_.push_back(std::move(u));
        text = std::move(html.text);
    }
    if (text.size() > room) {
        truncate("max_text_bytes");
        text.resize(room);
    }
    text_used_ += text.size();
    leaf.rendered = std::move(text);
}

void MessageBuilder::add_plain_body(std::string_view body) {
    MimePart part;
    part.content_type = "text/plain";
    part.raw_size = body.size();
    part.decoded_size = body.size();
    leaves_.emplace_back();
    std::string text(body);
    std::erase(text, '\r');
    text_leaf(part, text);
}

void MessageBuilder::add_uri(std::string_view raw, FoundUri::Source source) {
    for (std::string& u : canonicalize_uri(raw)) {
        if (msg_.uris.size() >= limits_.max_uris) return truncate("max_uris");
        if (!seen_uris_.insert(u).second) continue;
        FoundUri f;
        f.host = uri_host(u);
        f.uri = std::move(u);
        f.source = source;
        msg_.uris.push_back(std::move(f));
    }
}

void MessageBuilder::finish() {
    std::string joined;
    for (const LeafText& leaf : leaves_) {
        if (!joined.empty()) joined += '\n';  // SA: a blank line between parts
        joined += leaf.rendered;
    }
    std::string subject = "\n";
    for (const HeaderField& h : msg_.headers)
        if (iequals_ascii(h.name, "subject")) subject = h.decoded + "\n";  // SA: the last one
    split_into_short_lines(subject + collapse_body_whitespace(joined), msg_.body_lines);
    for (const std::string& line : msg_.body_lines)
        for (const std::string& u : find_text_uris(line, limits_.max_uris - msg_.uris.size() + 1))
            add_uri(u, FoundUri::Source::Text);
    for (const HtmlUri& u : html_uris_) add_uri(u.uri, u.source);
    alternative_difference();
}

/// Words of a rendered text as SA counts them: split at white space, kept when they hold a word
/// character (bytes from 0x80 count as such: UTF-8 letters).
void count_words(std::string_view text, std::unordered_map<std::string_view, int>& words) {
    std::size_t i = 0;
    while (i < text.size()) {
        while (i < text.size() && is_space_ascii(text[i])) ++i;
        const std::size_t start = i;
        bool word = false;
        for (; i < text.size() && !is_space_ascii(text[i]); ++i) {
            const auto c = static_cast<unsigned char>(text[i]);
            word |= std::isalnum(c) != 0 || c == '_' || c >= 0x80;
        }
        if (word) ++words[text.substr(start, i - start)];
    }
}

/// SA BodyEval _multipart_alternative_difference: per multipart/alternative, the share of its
/// HTML words the plain text lacks (or has fewer times).
void MessageBuilder::alternative_difference() {
    const auto& p = msg_.parts;
    if (p.size() == 3 && p[0].content_type == "multipart/alternative" && p[1].content_type == "text/html" &&
        p[2].content_type == "text/calendar")
        return;   // SA skips calendar invitations
    AlternativeDifference& out = msg_.alternative;
    for (const AlternativeRange& range : alternatives_) {
        std::unordered_map<std::string_view, int> html, text;
        for (std::size_t i = range.first; i < range.end && i < leaves_.size(); ++i) {
            const LeafText& leaf = leaves_[i];
            if (!leaf.has_rendered) continue;
            count_words(leaf.rendered, leaf.html ? html : text);
            if (leaf.html && html.empty() && leaf.html_has_image) html.emplace("\n", 1);
        }
        if (html.empty()) continue;
        const std::size_t orig = html.size();
        out.html_words = orig;
        out.text_words = text.size();
        for (const auto& [word, n] : text) {
            auto it = html.find(word);
            if (it != html.end() && it->second - n < 1) html.erase(it);
        }
        out.max_difference = std::max(out.max_difference, 100.0 * static_cast<double>(html.size()) / static_cast<double>(orig));
    }
}

/// SA: a first line "From " (not "From:", "From :") is an mbox separator.
std::size_t mbox_from_line_length(std::string_view raw) {
    if (!raw.starts_with("From")) return 0;
    std::size_t i = 4;
    if (i >= raw.size() || (raw[i] != ' ' && raw[i] != '\t')) return 0;
    while (i < raw.size() && (raw[i] == ' ' || raw[i] == '\t')) ++i;
    if (i < raw.size() && raw[i] == ':') return 0;
    const std::size_t nl = raw.find('\n');
    return nl == std::string_view::npos ? raw.size() : nl + 1;
}

void on_gmime_warning(gint64 /*offset*/, GMimeParserWarning code, const gchar* /*item*/,
                      gpointer user) {
    auto* msg = static_cast<ParsedMessage*>(user);
    if (code == GMIME_WARN_PART_WITHOUT_CONTENT || code == GMIME_CRIT_PART_WITHOUT_HEADERS_OR_CONTENT)
        msg->missing_mime_head_body_separator = true;
}

GObjectPtr<GMimeMessage> gmime_parse(std::string_view input, ParsedMessage& msg) {
    GObjectPtr<GMimeStream> stream(
        g_mime_stream_mem_new_with_buffer(input.data(), input.size()));
    GObjectPtr<GMimeParser> parser(g_mime_parser_new_with_stream(stream.get()));
    g_mime_parser_set_format(parser.get(), GMIME_FORMAT_MESSAGE);
    ParserOptionsPtr options(g_mime_parser_options_new());
    g_mime_parser_options_set_warning_callback(options.get(), on_gmime_warning, &msg);
    return GObjectPtr<GMimeMessage>(g_mime_parser_construct_message(parser.get(), options.get()));
}

}  // namespace

void mime_library_init() {
    static std::once_flag once;
    std::call_once(once, [] { g_mime_init(); });
}

ParsedMessage parse_message(std::string_view raw, const MimeLimits& limits) {
    mime_library_init();
    ParsedMessage msg;
    if (const std::size_t from = mbox_from_line_length(raw); from > 0) {
        msg.mbox_from_line = true;
        raw.remove_prefix(from);
    }
    HeaderBlock block = parse_header_block(raw);
    msg.headers = std::move(block.fields);
    msg.missing_head_body_separator = block.missing_head_body_separator;
    msg.body_size = raw.size() - std::min(raw.size(), block.body_offset);
    msg.mime.truncated_header = block.truncated;
    // SA (bug 4363): CRLF mail when the first or the last line ends in CRLF.
    const bool crlf = raw.substr(0, raw.find('\n') + 1).ends_with("\r\n") || raw.ends_with("\r\n");
    scan_mime_structure(raw.substr(std::min(raw.size(), block.body_offset)), msg.headers, crlf, limits, msg.mime);
    MessageBuilder builder(msg, limits);
    const MimeInput input = bound_mime_input(raw, limits);
    if (input.cut) {
        msg.truncated = true;
        msg.truncated_why = "mime nesting";
    }
    auto message = gmime_parse(input.text, msg);
    GMimeObject* root = message ? g_mime_message_get_mime_part(message.get()) : nullptr;
    if (root != nullptr) builder.walk(root, 0, msg.headers);
    else builder.add_plain_body(raw.substr(block.body_offset));
    if (msg.parts.empty()) msg.parts.push_back(MimePart{msg.headers});
    builder.finish();
    if (block.truncated && !msg.truncated) {
        msg.truncated = true;
        msg.truncated_why = "header bounds";
    }
    return msg;
}

}  // namespace mw::spam
