// Config: the validated settings of one daemon, checked against its ParamTable.
// Unknown keys, bad values and bad -o overrides are errors ("FILE:LINE: message" or
// "-o key=value: message"), never ignored. Typed getters return the parsed values; a getter for a
// key not in the table, or of the wrong type, is a programming error (MW_ASSERT-style abort).
// Immutable after load; share it as shared_ptr<const Config> (a reload builds a new one).
#pragma once

#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/base/result.hpp"
#include "common/config/param.hpp"
#include "common/net/cidr.hpp"

namespace mw::config {

struct LoadOptions {
    std::string path;                     // the config file
    bool missing_ok = false;              // true for the default path: a missing file means all defaults
    std::vector<std::string> overrides;   // "-o key=value", applied after the file
};

class Config {
public:
    /// Loads and validates. Errors carry FILE:LINE (or name the -o override).
    static Result<Config> load(const ParamTable& table, const LoadOptions& opts);
    /// Only the defaults (for tests and -d).
    static Config defaults(const ParamTable& table);

    const std::string& str(std::string_view key) const;
    bool flag(std::string_view key) const;
    long long integer(std::string_view key) const;
    double number(std::string_view key) const;
    std::chrono::milliseconds duration(std::string_view key) const;
    std::vector<std::string> list(std::string_view key) const;
    const net::CidrSet& cidrs(std::string_view key) const;
    unsigned mode(std::string_view key) const;
    /// Where a key was set, if it was set in a file.
    std::optional<SourcePos> where(std::string_view key) const;

    /// "key = value" lines: every key (-d) or only those that differ from the default (-n).
    std::string print(bool only_non_default) const;

    const ParamTable& table() const { return *table_; }
    const std::string& path() const { return path_; }

private:
    struct Value {
        std::string text;
        std::optional<SourcePos> pos;
        bool from_default = true;
        // Parsed forms, filled per type at load time.
        bool b = false;
        long long i = 0;
        double n = 0;
        std::chrono::milliseconds d{0};
        net::CidrSet cidrs;
    };
    const Param& param(std::string_view key) const;
    const Value& value(std::string_view key, ParamType type) const;
    static Result<Value> parse_value(const Param& p, std::string text);

    const ParamTable* table_ = nullptr;
    std::string path_;
    std::map<std::string, Value, std::less<>> values_;
};

/// Parses a Postfix time value ("30s", "5m", "1h", "2d", "1w", "500ms", bare number = seconds).
std::optional<std::chrono::milliseconds> parse_duration(std::string_view text);
/// Parses a plain decimal number ("5", "-0.5", "6.25"): digits, one '.', optional leading '-'.
std::optional<double> parse_number(std::string_view text);
/// Parses yes/no/true/false/1/0 (case-insensitive).
std::optional<bool> parse_bool(std::string_view text);

}  // namespace mw::config
