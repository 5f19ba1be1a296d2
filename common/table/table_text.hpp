// Splits a lookup-table text file into logical lines with their FILE:LINE, for the table
// parsers (access_table, cidr_table, and the dkim milter's OpenDKIM tables). Postfix rules
// (postmap(1) input, access(5) "TABLE FORMAT"): blank lines and lines whose first non-blank
// character is "#" are skipped; a line starting with white space continues the previous logical
// line. OpenDKIM's tables differ: no continuations and "#" starts a comment anywhere; both are
// options. Bounds: TableTextOptions (defaults kMaxTableLine, kMaxTableEntries, kMaxTableFile in
// limits.hpp). Pure but for read_table_file(); thread-safe.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "common/base/limits.hpp"
#include "common/base/result.hpp"

namespace mw::table {

struct TableTextOptions {
    bool continuation_lines = true;  // Postfix: a line starting with white space continues
    bool inline_comments = false;    // OpenDKIM: "#" anywhere starts a comment
    std::size_t max_line = limits::kMaxTableLine;        // one logical line
    std::size_t max_entries = limits::kMaxTableEntries;  // logical lines per file
    std::size_t max_file = limits::kMaxTableFile;        // bytes per file
};

struct TableLine {
    std::string text;  // comments and surrounding white space removed; continuations joined by one space
    SourcePos pos;     // the line the logical line starts on
};

/// Splits `text` (a file's contents) into its logical lines.
Result<std::vector<TableLine>> split_table_text(std::string_view text, const std::string& file,
                                                const TableTextOptions& options = {});
/// Reads `path` and splits it; a missing or unreadable file is an error naming it.
Result<std::vector<TableLine>> read_table_file(const std::string& path, const TableTextOptions& options = {});
/// Reads a whole small file (at most `max_bytes`).
Result<std::string> read_small_file(const std::string& path, std::size_t max_bytes);

/// An error at `pos`: "FILE:LINE: message".
tl::unexpected<Error> fail_at(const SourcePos& pos, ErrorCode code, std::string message);

/// Splits "KEY VALUE" at the first run of white space; VALUE may be empty.
std::pair<std::string_view, std::string_view> split_key_value(std::string_view line);

}  // namespace mw::table
