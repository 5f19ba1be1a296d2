// The only file that includes <syslog.h>.
#include <syslog.h>
#include <unistd.h>

#include <string>

#include "common/log/logger.hpp"

namespace mw::log {

namespace {

int priority(Level l) {
    switch (l) {
        case Level::Error: return LOG_ERR;
        case Level::Warning: return LOG_WARNING;
        case Level::Info: return LOG_INFO;
        case Level::Debug: return LOG_DEBUG;
    }
    return LOG_INFO;
}

class SyslogSink : public Sink {
public:
    // The PID is part of the ident instead of LOG_PID: the line reads the same
    // ("mailwarden/NAME[PID]: ..."), and glibc no longer calls getpid() for every line. A process
    // that forks after this (detach_from_terminal) must make a new sink.
    explicit SyslogSink(std::string_view program)
        : ident_(fmt::format("mailwarden/{}[{}]", program, getpid())) {
        // openlog keeps the pointer, not a copy: ident_ lives as long as the sink.
        openlog(ident_.c_str(), LOG_NDELAY, LOG_MAIL);
    }
    ~SyslogSink() override { closelog(); }

    void write(Level level, std::string_view line) override {
        syslog(priority(level), "%.*s", static_cast<int>(line.size()), line.data());
        if (echo_ && (level == Level::Error || level == Level::Warning))
            fmt::print(stderr, "{}: {}: {}\n", ident_, to_string(level), line);
    }

private:
    std::string ident_;
    // As Postfix does for a command run by hand: problems also go to the terminal.
    const bool echo_ = isatty(STDERR_FILENO) == 1;
};

}  // namespace

std::unique_ptr<Sink> make_syslog_sink(std::string_view program) {
    return std::make_unique<SyslogSink>(program);
}

}  // namespace mw::log
