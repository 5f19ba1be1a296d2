// LogCapture: installs a sink that keeps every log line (for tests asserting on decision lines)
// and restores a stderr sink when destroyed. One at a time per process. Thread-safe sink.
#pragma once

#include <memory>
#include <mutex>
#include <string>

#include "common/log/logger.hpp"

namespace mw::test {

class CaptureSink : public log::Sink {
public:
    void write(log::Level, std::string_view line) override {
        std::lock_guard lock(mu_);
        lines_ += std::string(line) + "\n";
    }
    std::string text() {
        std::lock_guard lock(mu_);
        return lines_;
    }

private:
    std::mutex mu_;
    std::string lines_;
};

class LogCapture {
public:
    explicit LogCapture(log::Level level = log::Level::Info) {
        auto sink = std::make_unique<CaptureSink>();
        sink_ = sink.get();
        log::configure(std::move(sink), level);
    }
    ~LogCapture() { log::configure(log::make_stderr_sink("test"), log::Level::Warning); }
    LogCapture(const LogCapture&) = delete;
    LogCapture& operator=(const LogCapture&) = delete;

    std::string text() { return sink_->text(); }

private:
    CaptureSink* sink_;
};

}  // namespace mw::test
