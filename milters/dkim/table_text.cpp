#include "milters/dkim/table_text.hpp"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <iterator>

#include <fmt/format.h>

#include "common/base/limits.hpp"

namespace mw::dkim {
namespace {

std::string_view trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
    return s;
}

}  // namespace

tl::unexpected<Error> fail_at(const SourcePos& pos, ErrorCode code, std::string message) {
    return fail(Error{code, std::move(message), pos});
}

Result<std::vector<TableLine>> split_table_text(std::string_view text, const std::string& file) {
    std::vector<TableLine> lines;
    int number = 0;
    std::size_t pos = 0;
    while (pos < text.size()) {
        const auto nl = text.find('\n', pos);
        std::string_view line = text.substr(pos, nl == std::string_view::npos ? nl : nl - pos);
        pos = nl == std::string_view::npos ? text.size() : nl + 1;
        const SourcePos where{file, ++number};
        if (line.size() > limits::kMaxDkimTableLine)
            return fail_at(where, ErrorCode::TooLong, fmt::format("line longer than {} bytes", limits::kMaxDkimTableLine));
        line = trim(line.substr(0, line.find('#')));
        if (line.empty()) continue;
        if (lines.size() == limits::kMaxDkimTableEntries)
            return fail_at(where, ErrorCode::TooLong, fmt::format("more than {} entries", limits::kMaxDkimTableEntries));
        lines.push_back(TableLine{std::string(line), where});
    }
    return lines;
}

Result<std::string> read_small_file(const std::string& path, std::size_t max_bytes) {
    std::ifstream in(path, std::ios::binary);
    if (!in) return fail(ErrorCode::NotFound, fmt::format("{}: {}", path, std::strerror(errno)));
    std::string data;
    char buf[8192];
    while (in.read(buf, sizeof buf) || in.gcount() > 0) {
        data.append(buf, static_cast<std::size_t>(in.gcount()));
        if (data.size() > max_bytes)
            return fail(ErrorCode::TooLong, fmt::format("{}: larger than {} bytes", path, max_bytes));
    }
    if (in.bad()) return fail(ErrorCode::Io, fmt::format("{}: read error", path));
    return data;
}

Result<std::vector<TableLine>> read_table_file(const std::string& path) {
    auto text = read_small_file(path, limits::kMaxDkimTableFile);
    if (!text) return fail(text.error());
    return split_table_text(*text, path);
}

}  // namespace mw::dkim
