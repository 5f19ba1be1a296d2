#include "common/log/logger.hpp"

#include <atomic>
#include <mutex>

namespace mw::log {

namespace {

struct State {
    std::mutex mu;
    std::shared_ptr<Sink> sink;
    std::atomic<int> level{static_cast<int>(Level::Info)};
};

State& state() {
    static State s;
    return s;
}

}  // namespace

std::optional<Level> parse_level(std::string_view s) {
    if (s == "error") return Level::Error;
    if (s == "warning") return Level::Warning;
    if (s == "info") return Level::Info;
    if (s == "debug") return Level::Debug;
    return std::nullopt;
}

const char* to_string(Level l) {
    switch (l) {
        case Level::Error: return "error";
        case Level::Warning: return "warning";
        case Level::Info: return "info";
        case Level::Debug: return "debug";
    }
    return "info";
}

void configure(std::unique_ptr<Sink> sink, Level lvl) {
    auto& s = state();
    std::shared_ptr<Sink> shared(std::move(sink));
    {
        std::lock_guard lock(s.mu);
        s.sink.swap(shared);
    }
    set_level(lvl);
}

void set_level(Level l) { state().level.store(static_cast<int>(l)); }
Level level() { return static_cast<Level>(state().level.load()); }
bool enabled(Level l) { return static_cast<int>(l) <= state().level.load(); }

void write(Level lvl, std::string_view line) {
    auto& s = state();
    std::shared_ptr<Sink> sink;
    {
        std::lock_guard lock(s.mu);
        sink = s.sink;
    }
    if (line.size() > kMaxLogLine) line = line.substr(0, kMaxLogLine);
    if (sink) {
        sink->write(lvl, line);
    } else {
        fmt::print(stderr, "{}\n", line);
    }
}

}  // namespace mw::log
