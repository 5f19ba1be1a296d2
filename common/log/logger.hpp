// The process-wide logger: a level filter over one sink (syslog with LOG_MAIL, or stderr).
// Messages are fmt format strings checked at compile time. Thread-safe: sinks serialize writes.
// Tests install a capturing sink with set_sink_for_test().
#pragma once

#include <fmt/format.h>

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace mw::log {

enum class Level { Error = 0, Warning = 1, Info = 2, Debug = 3 };

/// Parses "error", "warning", "info", "debug".
std::optional<Level> parse_level(std::string_view s);
const char* to_string(Level l);

class Sink {
public:
    virtual ~Sink() = default;
    virtual void write(Level level, std::string_view line) = 0;
};

/// syslog(3)'s datagrams to /dev/log, facility LOG_MAIL, ident "mailwarden/NAME", with the
/// PID (Postfix style): "<PRI>Mmm dd hh:mm:ss mailwarden/NAME[PID]: text".
std::unique_ptr<Sink> make_syslog_sink(std::string_view program);
/// The same to another socket than /dev/log (tests).
std::unique_ptr<Sink> make_syslog_sink_at(std::string_view program, std::string socket_path);
/// One line per message on stderr: "mailwarden/NAME[PID]: level: text" (for -f and tests).
std::unique_ptr<Sink> make_stderr_sink(std::string_view program);

/// Installs the sink and level. Not thread-safe against concurrent logging: call at start-up
/// or reload only (the sink swap itself is atomic).
void configure(std::unique_ptr<Sink> sink, Level level);
void set_level(Level level);
Level level();
bool enabled(Level l);

/// Sends one line to the sink. Lines are cut at kMaxLogLine.
void write(Level level, std::string_view line);

inline constexpr std::size_t kMaxLogLine = 4000;

template <typename... Args>
void error(fmt::format_string<Args...> f, Args&&... args) {
    write(Level::Error, fmt::format(f, std::forward<Args>(args)...));
}
template <typename... Args>
void warning(fmt::format_string<Args...> f, Args&&... args) {
    if (enabled(Level::Warning)) write(Level::Warning, fmt::format(f, std::forward<Args>(args)...));
}
template <typename... Args>
void info(fmt::format_string<Args...> f, Args&&... args) {
    if (enabled(Level::Info)) write(Level::Info, fmt::format(f, std::forward<Args>(args)...));
}
template <typename... Args>
void debug(fmt::format_string<Args...> f, Args&&... args) {
    if (enabled(Level::Debug)) write(Level::Debug, fmt::format(f, std::forward<Args>(args)...));
}

}  // namespace mw::log
