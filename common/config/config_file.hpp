// Reads main.cf syntax (postconf(5)): "key = value"; '#' comment lines; a line that starts with
// white space continues the previous logical line; blank lines end nothing. No knowledge of key
// meanings. Errors carry FILE:LINE. Bounds: kMaxConfigLine per logical line, kMaxConfigFileSize.
// Pure over text (parse_config_text) plus a file reader. Thread-compatible.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "common/base/result.hpp"

namespace mw::config {

struct ConfigEntry {
    std::string key;
    std::string value;    // leading/trailing white space removed; continuation lines joined by one space
    SourcePos pos;        // where the logical line starts
};

/// Parses config text; `file` names it in errors.
Result<std::vector<ConfigEntry>> parse_config_text(std::string_view text, const std::string& file);

/// Reads and parses a file. A missing file is ErrorCode::NotFound.
Result<std::vector<ConfigEntry>> read_config_file(const std::string& path);

}  // namespace mw::config
