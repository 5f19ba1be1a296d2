#include <unistd.h>

#include <cstdio>
#include <mutex>
#include <string>

#include "common/log/logger.hpp"

namespace mw::log {

namespace {

class StderrSink : public Sink {
public:
    explicit StderrSink(std::string_view program)
        : prefix_(fmt::format("mailwarden/{}[{}]: ", program, getpid())) {}

    void write(Level level, std::string_view line) override {
        std::lock_guard lock(mu_);
        // Postfix marks non-info lines with their severity: "warning: ...".
        if (level == Level::Info || level == Level::Debug) {
            fmt::print(stderr, "{}{}\n", prefix_, line);
        } else {
            fmt::print(stderr, "{}{}: {}\n", prefix_, to_string(level), line);
        }
        std::fflush(stderr);
    }

private:
    std::mutex mu_;
    std::string prefix_;
};

}  // namespace

std::unique_ptr<Sink> make_stderr_sink(std::string_view program) {
    return std::make_unique<StderrSink>(program);
}

}  // namespace mw::log
