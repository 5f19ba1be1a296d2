#include "milters/spam/mime/header_block.hpp"

#include "common/base/limits.hpp"
#include "milters/spam/mime/header_decoder.hpp"

namespace mw::spam {
namespace {

constexpr int kMaxInvalidHeaderLines = 3;  // SA consumes this many invalid lines, then stops

/// SA's test for a field line: ftext (33..126 except ':') name, optional blanks, ':'.
bool is_field_line(std::string_view line) {
    std::size_t i = 0;
    while (i < line.size()) {
        const auto c = static_cast<unsigned char>(line[i]);
        if (c < 33 || c > 126 || c == ':') break;
        ++i;
    }
    if (i == 0) return false;
    while (i < line.size() && (line[i] == ' ' || line[i] == '\t')) ++i;
    return i < line.size() && line[i] == ':';
}

bool is_blank_line(std::string_view line) { return line == "\n" || line == "\r\n"; }

std::string_view trim_trailing_blanks(std::string_view s) {
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
    return s;
}

/// Stores one collected field (name:value ... with continuations), if it has a colon.
void store_field(HeaderBlock& block, std::string_view field) {
    const std::size_t colon = field.find(':');
    if (colon == std::string_view::npos) return;  // SA skips fields without a colon
    if (block.fields.size() >= limits::kMaxSpamHeaderFields) {
        block.truncated = true;
        return;
    }
    std::string_view name = trim_trailing_blanks(field.substr(0, colon));
    std::string_view value = field.substr(colon + 1);
    if (name.size() > limits::kMaxSpamHeaderName) {
        name = name.substr(0, limits::kMaxSpamHeaderName);
        block.truncated = true;
    }
    if (value.size() > limits::kMaxSpamHeaderValue) {
        value = value.substr(0, limits::kMaxSpamHeaderValue);
        block.truncated = true;
    }
    block.fields.push_back(make_header_field(name, value));
}

}  // namespace

HeaderField make_header_field(std::string_view name, std::string_view raw_value) {
    HeaderField f;
    f.name = std::string(name);
    std::size_t start = 0;
    while (start < raw_value.size() && (raw_value[start] == ' ' || raw_value[start] == '\t'))
        ++start;
    f.raw.reserve(raw_value.size() - start);
    for (std::size_t i = start; i < raw_value.size(); ++i)
        if (raw_value[i] != '\r') f.raw += raw_value[i];
    while (!f.raw.empty() && f.raw.back() == '\n') f.raw.pop_back();
    f.decoded = decode_header_value(f.raw, f.name);
    return f;
}

HeaderBlock parse_header_block(std::string_view text) {
    HeaderBlock block;
    std::size_t pos = 0;
    std::size_t field_start = std::string_view::npos;  // start of the field being collected
    int invalid_lines = 0;
    for (;;) {
        const bool eof = pos >= text.size();
        const std::size_t nl = eof ? pos : text.find('\n', pos);
        const std::size_t end = (eof || nl == std::string_view::npos) ? text.size() : nl + 1;
        const std::string_view line = text.substr(pos, end - pos);
        if (!eof && (line[0] == ' ' || line[0] == '\t')) {
            if (field_start == std::string_view::npos) field_start = pos;  // leading continuation
            pos = end;
            continue;
        }
        if (field_start != std::string_view::npos)
            store_field(block, text.substr(field_start, pos - field_start));
        field_start = std::string_view::npos;
        if (eof) {
            block.missing_head_body_separator = true;
            block.body_offset = text.size();
            return block;
        }
        if (is_blank_line(line)) {
            block.body_offset = end;
            return block;
        }
        if (line.starts_with("--") ||
            (!is_field_line(line) && ++invalid_lines > kMaxInvalidHeaderLines)) {
            block.missing_head_body_separator = true;
            block.body_offset = pos;
            return block;
        }
        field_start = pos;
        pos = end;
    }
}

}  // namespace mw::spam
