// The only file that includes <syslog.h>.
#include <syslog.h>

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
    explicit SyslogSink(std::string_view program) : ident_(fmt::format("mailwarden/{}", program)) {
        // openlog keeps the pointer, not a copy: ident_ lives as long as the sink.
        openlog(ident_.c_str(), LOG_PID | LOG_NDELAY, LOG_MAIL);
    }
    ~SyslogSink() override { closelog(); }

    void write(Level level, std::string_view line) override {
        syslog(priority(level), "%.*s", static_cast<int>(line.size()), line.data());
    }

private:
    std::string ident_;
};

}  // namespace

std::unique_ptr<Sink> make_syslog_sink(std::string_view program) {
    return std::make_unique<SyslogSink>(program);
}

}  // namespace mw::log
