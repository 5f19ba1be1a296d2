// KeyTable: OpenDKIM's KeyTable format, "KEYNAME DOMAIN:SELECTOR:KEYFILE" per line, "#"
// comments. Key names are unique; domain and selector are checked as DNS labels; KEYFILE is a
// path (relative paths are taken from the table's directory). Errors at FILE:LINE. Pure but for
// load(); thread-safe once built.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/base/result.hpp"
#include "common/base/limits.hpp"
#include "common/table/table_text.hpp"

namespace mw::dkim {

/// OpenDKIM table text: no continuation lines, "#" starts a comment anywhere.
inline constexpr table::TableTextOptions kOpenDkimTableText{
    false, true, limits::kMaxDkimTableLine, limits::kMaxDkimTableEntries, limits::kMaxDkimTableFile};

struct KeyTableEntry {
    std::string name;
    std::string domain;
    std::string selector;
    std::string key_file;
    SourcePos pos;
};

/// Parses one significant line ("name domain:selector:path"); errors without position.
Result<KeyTableEntry> parse_key_table_line(std::string_view line);

class KeyTable {
public:
    static Result<KeyTable> parse(std::string_view text, const std::string& file);
    static Result<KeyTable> load(const std::string& path);

    const KeyTableEntry* find(std::string_view name) const;
    const std::vector<KeyTableEntry>& entries() const { return entries_; }

private:
    static Result<KeyTable> from_lines(const std::vector<table::TableLine>& lines, const std::string& file);
    std::vector<KeyTableEntry> entries_;
    std::map<std::string, std::size_t, std::less<>> index_;  // name -> entries_ index
};

/// True when `name` is a plausible DNS name (LDH labels, dots, at most kMaxDnsName).
bool is_dns_name(std::string_view name);

}  // namespace mw::dkim
