#include "milters/dnsbl/reply_map.hpp"

#include <fmt/format.h>

#include <fstream>
#include <iterator>

#include "common/base/ascii.hpp"
#include "common/base/limits.hpp"

namespace mw::dnsbl {

namespace {

constexpr std::string_view kBlank = " \t\r";

std::string_view trim(std::string_view s) {
    auto start = s.find_first_not_of(kBlank);
    if (start == std::string_view::npos) return {};
    return s.substr(start, s.find_last_not_of(kBlank) - start + 1);
}

tl::unexpected<Error> at(const std::string& file, int line, ErrorCode code, std::string message) {
    return fail(Error{code, std::move(message), SourcePos{file, line}});
}

struct LogicalLine {
    std::string text;
    int line_no = 0;
};

// Joins continuation lines (leading white space) to the line before; drops comments/blanks.
Result<std::vector<LogicalLine>> logical_lines(std::string_view text, const std::string& file) {
    std::vector<LogicalLine> out;
    int line_no = 0;
    for (std::size_t start = 0; start < text.size();) {
        auto end = text.find('\n', start);
        if (end == std::string_view::npos) end = text.size();
        auto line = text.substr(start, end - start);
        start = end + 1;
        ++line_no;
        if (trim(line).empty() || trim(line).front() == '#') continue;
        const bool continues = line.front() == ' ' || line.front() == '\t';
        if (continues && out.empty())
            return at(file, line_no, ErrorCode::Invalid, "continuation line without an entry");
        if (!continues)
            out.push_back({std::string(trim(line)), line_no});
        else
            out.back().text.append(" ").append(trim(line));
        if (out.back().text.size() > limits::kMaxDnsblReplyMapLine)
            return at(file, line_no, ErrorCode::TooLong, "line too long");
    }
    return out;
}

}  // namespace

Result<void> ReplyMap::add_line(std::string_view line, const std::string& file, int line_no) {
    auto split = line.find_first_of(" \t");
    if (split == std::string_view::npos)
        return at(file, line_no, ErrorCode::Invalid,
                  fmt::format("\"{}\": missing reply template", line));
    auto tmpl = ReplyTemplate::parse(trim(line.substr(split)));
    if (!tmpl) return at(file, line_no, tmpl.error().code, tmpl.error().message);
    if (entries_.size() >= limits::kMaxDnsblReplyMapEntries)
        return at(file, line_no, ErrorCode::TooLong, "too many entries");
    std::string zone = to_lower_ascii(line.substr(0, split));
    if (zone.back() == '.') zone.pop_back();
    entries_.insert_or_assign(std::move(zone), std::move(*tmpl));
    return {};
}

Result<ReplyMap> ReplyMap::parse(std::string_view text, const std::string& file) {
    if (text.size() > limits::kMaxDnsblReplyMapFile)
        return fail(ErrorCode::TooLong, fmt::format("{}: file too large", file));
    auto lines = logical_lines(text, file);
    if (!lines) return fail(lines.error());
    ReplyMap map;
    for (const auto& line : *lines)
        if (auto ok = map.add_line(line.text, file, line.line_no); !ok) return fail(ok.error());
    return map;
}

Result<ReplyMap> ReplyMap::load(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) return fail(ErrorCode::NotFound, fmt::format("{}: cannot open file", path));
    std::string text;
    text.resize(limits::kMaxDnsblReplyMapFile + 1);
    in.read(text.data(), static_cast<std::streamsize>(text.size()));
    text.resize(static_cast<std::size_t>(in.gcount()));
    return parse(text, path);
}

const ReplyTemplate* ReplyMap::find(std::string_view zone) const {
    std::string key = to_lower_ascii(zone);
    if (!key.empty() && key.back() == '.') key.pop_back();
    auto it = entries_.find(key);
    return it == entries_.end() ? nullptr : &it->second;
}

}  // namespace mw::dnsbl
