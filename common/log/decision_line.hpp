// The contract's decision log line, built in this one place so that `mailwarden why` can parse
// it back:  "QUEUEID: check=RESULT key=value ... action=ACTION".
// Values containing white space, '"' or '=' are double-quoted with '"' and '\' escaped;
// control characters are replaced by '?'. Pure; thread-compatible.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace mw::log {

class DecisionLine {
public:
    /// queue_id: Postfix's queue id, or empty for "NOQUEUE".
    DecisionLine(std::string_view queue_id, std::string_view check, std::string_view result);

    /// Adds key=value; empty values are skipped.
    DecisionLine& add(std::string_view key, std::string_view value);
    /// The final field; returns the finished line.
    std::string finish(std::string_view action) const;
    /// The same line without its "QUEUEID: " prefix: what is the same for every message that
    /// gets the same decision (policyd keeps it with a memoized decision).
    std::string finish_fields(std::string_view action) const;
    /// "QUEUEID: " (or "NOQUEUE: ") then `fields` from finish_fields(): the whole line.
    static std::string join(std::string_view queue_id, std::string_view fields);

    using Fields = std::vector<std::pair<std::string, std::string>>;
    struct Parsed {
        std::string queue_id;
        Fields fields;   // in order, including check and action
    };
    /// Parses a line (the part after "mailwarden/NAME[PID]: "); nullopt if it is not one.
    static std::optional<Parsed> parse(std::string_view line);

private:
    static constexpr std::size_t kTypicalLine = 256;  // reserved once: no regrowth per field
    std::string text_;
    std::size_t fields_start_ = 0;  // where "check=" begins in text_
};

/// Quotes a value per the rule above (exposed for tests).
std::string quote_value(std::string_view v);
/// The same, appended to `out`.
void append_quoted(std::string& out, std::string_view v);

}  // namespace mw::log
