// Reads a table file (key_table, signing_table) into its lines, for the table parsers: "#"
// comments and blank lines dropped, each remaining line with its FILE:LINE. Bounded by
// kMaxDkimTableFile, kMaxDkimTableLine and kMaxDkimTableEntries. Thread-safe.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "common/base/result.hpp"

namespace mw::dkim {

struct TableLine {
    std::string text;  // comment and surrounding white space removed
    SourcePos pos;
};

/// Splits `text` (the file's contents) into its significant lines.
Result<std::vector<TableLine>> split_table_text(std::string_view text, const std::string& file);
/// Reads `path` and splits it; a missing or unreadable file is an error naming it.
Result<std::vector<TableLine>> read_table_file(const std::string& path);
/// Reads a whole small file (at most `max_bytes`), for tables and keys.
Result<std::string> read_small_file(const std::string& path, std::size_t max_bytes);

/// An error at `pos`: "FILE:LINE: message".
tl::unexpected<Error> fail_at(const SourcePos& pos, ErrorCode code, std::string message);

}  // namespace mw::dkim
