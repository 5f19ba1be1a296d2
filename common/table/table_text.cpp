#include "common/table/table_text.hpp"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <optional>

#include <fmt/format.h>

namespace mw::table {
namespace {

constexpr bool is_blank(char c) { return c == ' ' || c == '\t' || c == '\r'; }

std::string_view trim(std::string_view s) {
    while (!s.empty() && is_blank(s.front())) s.remove_prefix(1);
    while (!s.empty() && is_blank(s.back())) s.remove_suffix(1);
    return s;
}

// Splits text into logical lines, one physical line at a time.
class LineJoiner {
public:
    LineJoiner(const std::string& file, const TableTextOptions& options) : file_(file), options_(options) {}

    Result<void> add(std::string_view raw, int number) {
        const SourcePos where{file_, number};
        if (options_.inline_comments) raw = raw.substr(0, raw.find('#'));
        const std::string_view text = trim(raw);
        if (text.empty() || text.front() == '#') return {};  // comments do not end a logical line
        if (options_.continuation_lines && is_blank(raw.front())) return append(text, where);
        if (auto done = flush(); !done) return done;
        current_ = TableLine{std::string(text), where};
        return check_length(where);
    }

    Result<void> flush() {
        if (!current_) return {};
        if (lines_.size() == options_.max_entries)
            return fail_at(current_->pos, ErrorCode::TooLong, fmt::format("more than {} entries", options_.max_entries));
        lines_.push_back(std::move(*current_));
        current_.reset();
        return {};
    }

    std::vector<TableLine> take() { return std::move(lines_); }

private:
    Result<void> append(std::string_view text, const SourcePos& where) {
        // Postfix ignores such a line with a warning; a table we enforce should not guess.
        if (!current_) return fail_at(where, ErrorCode::Invalid, "continuation line without a line to continue");
        current_->text += ' ';
        current_->text += text;
        return check_length(where);
    }

    Result<void> check_length(const SourcePos& where) const {
        if (current_->text.size() <= options_.max_line) return {};
        return fail_at(where, ErrorCode::TooLong, fmt::format("line longer than {} bytes", options_.max_line));
    }

    const std::string& file_;
    const TableTextOptions& options_;
    std::optional<TableLine> current_;
    std::vector<TableLine> lines_;
};

}  // namespace

tl::unexpected<Error> fail_at(const SourcePos& pos, ErrorCode code, std::string message) {
    return fail(Error{code, std::move(message), pos});
}

std::pair<std::string_view, std::string_view> split_key_value(std::string_view line) {
    const auto space = line.find_first_of(" \t");
    if (space == std::string_view::npos) return {line, {}};
    return {line.substr(0, space), trim(line.substr(space))};
}

Result<std::vector<TableLine>> split_table_text(std::string_view text, const std::string& file,
                                                const TableTextOptions& options) {
    LineJoiner joiner(file, options);
    int number = 0;
    std::size_t pos = 0;
    while (pos < text.size()) {
        const auto nl = text.find('\n', pos);
        const std::string_view line = text.substr(pos, nl == std::string_view::npos ? nl : nl - pos);
        pos = nl == std::string_view::npos ? text.size() : nl + 1;
        ++number;
        // Bound the physical line too, so a huge comment cannot pass unchecked.
        if (line.size() > options.max_line)
            return fail_at({file, number}, ErrorCode::TooLong, fmt::format("line longer than {} bytes", options.max_line));
        if (auto added = joiner.add(line, number); !added) return fail(added.error());
    }
    if (auto done = joiner.flush(); !done) return fail(done.error());
    return joiner.take();
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

Result<std::vector<TableLine>> read_table_file(const std::string& path, const TableTextOptions& options) {
    auto text = read_small_file(path, options.max_file);
    if (!text) return fail(text.error());
    return split_table_text(*text, path, options);
}

}  // namespace mw::table
