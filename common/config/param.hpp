// Param: one row of a daemon's key table, the single source of truth for a key's type, default,
// bounds and documentation. From the table come the parser's checks, -n/-d and the man page.
#pragma once

#include <string>
#include <vector>

namespace mw::config {

enum class ParamType {
    String,    // any text
    Bool,      // yes/no (also true/false, 1/0)
    Int,       // integer within [min, max]
    Number,    // decimal number ("5", "5.0", "-0.5") within [min, max]
    Duration,  // Postfix time units: s, m, h, d, w; a bare number is seconds; within [min, max] seconds
    List,      // items separated by commas and/or white space
    Choice,    // one of `choices` ("a|b|c"), case-insensitive
    Mode,      // octal file mode, e.g. 0660
    Cidrs,     // list of CIDR blocks / addresses
};

struct Param {
    std::string name;
    ParamType type = ParamType::String;
    std::string default_value;
    std::string summary;        // one line, becomes the man page entry
    std::string choices;        // Choice: "a|b|c"
    long long min = 0;          // Int, Duration (seconds)
    long long max = 0;          // 0 = no upper bound
};

using ParamTable = std::vector<Param>;

const char* to_string(ParamType t);

}  // namespace mw::config
