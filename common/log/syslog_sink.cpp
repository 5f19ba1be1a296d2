// The only file that includes <syslog.h> or names /dev/log.
// The sink writes the datagram glibc's syslog() would write, "<PRI>Mmm dd hh:mm:ss IDENT: text"
// (RFC 3164 form, local time, C-locale month names), itself: the prefix up to the ident is
// kept between lines and the timestamp is formatted once per second, instead of glibc's
// vfprintf, strftime and localtime per line. Connection handling follows glibc: a datagram
// socket (a stream socket when the path only takes those, each message then ended by NUL),
// blocking sends, and after a failed send one reconnect and one retry; while /dev/log cannot
// be reached, every line tries to connect again and is dropped when that fails.
#include <sys/socket.h>
#include <sys/un.h>
#include <syslog.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <ctime>
#include <mutex>
#include <string>

#include "common/base/unique_fd.hpp"
#include "common/log/logger.hpp"

namespace mw::log {

namespace {

constexpr const char* kDevLog = "/dev/log";
constexpr std::size_t kTimestamp = 15;  // "Mmm dd hh:mm:ss"

int priority(Level l) {
    switch (l) {
        case Level::Error: return LOG_ERR;
        case Level::Warning: return LOG_WARNING;
        case Level::Info: return LOG_INFO;
        case Level::Debug: return LOG_DEBUG;
    }
    return LOG_INFO;
}

/// "Mmm dd hh:mm:ss" as glibc's strftime("%h %e %T") in the C locale.
void format_timestamp(std::time_t t, char* out) {
    static constexpr char kMonths[] = "JanFebMarAprMayJunJulAugSepOctNovDec";
    std::tm tm{};
    localtime_r(&t, &tm);
    const int mon = tm.tm_mon >= 0 && tm.tm_mon < 12 ? tm.tm_mon : 0;
    std::memcpy(out, kMonths + 3 * mon, 3);
    const auto two = [](char* p, int v, char pad) {
        p[0] = v >= 10 ? static_cast<char>('0' + v / 10 % 10) : pad;
        p[1] = static_cast<char>('0' + v % 10);
    };
    out[3] = ' ';
    two(out + 4, tm.tm_mday, ' ');
    out[6] = ' ';
    two(out + 7, tm.tm_hour, '0');
    out[9] = ':';
    two(out + 10, tm.tm_min, '0');
    out[12] = ':';
    two(out + 13, tm.tm_sec, '0');
}

class SyslogSink : public Sink {
public:
    // The PID is part of the ident (as LOG_PID would put it): "mailwarden/NAME[PID]: ...". A
    // process that forks after this (detach_from_terminal) must make a new sink.
    SyslogSink(std::string_view program, std::string path)
        : ident_(fmt::format("mailwarden/{}[{}]", program, getpid())), path_(std::move(path)) {
        std::lock_guard lock(mu_);
        connect_locked();  // now, as LOG_NDELAY: before a chroot or privilege drop
    }

    void write(Level level, std::string_view line) override {
        {
            std::lock_guard lock(mu_);
            build_locked(level, line);
            if (!send_locked()) {
                connect_locked();
                if (!send_locked()) fd_.reset();  // try again with the next line
            }
        }
        if (echo_ && (level == Level::Error || level == Level::Warning))
            fmt::print(stderr, "{}: {}: {}\n", ident_, to_string(level), line);
    }

private:
    void build_locked(Level level, std::string_view line) {
        const std::time_t now = std::time(nullptr);
        if (now != stamped_) {
            format_timestamp(now, stamp_);
            stamped_ = now;
        }
        msg_.clear();
        msg_.push_back('<');
        msg_.append(std::to_string(LOG_MAIL | priority(level))).push_back('>');
        msg_.append(stamp_, kTimestamp).append(1, ' ').append(ident_).append(": ").append(line);
    }

    bool send_locked() {
        if (!fd_.valid()) return false;
        // A stream socket takes the terminating NUL as the end of the message (glibc does so).
        const std::size_t size = msg_.size() + (stream_ ? 1 : 0);
        for (;;) {
            const ssize_t n = ::send(fd_.get(), msg_.c_str(), size, MSG_NOSIGNAL);
            if (n >= 0) return true;
            if (errno != EINTR) return false;
        }
    }

    void connect_locked() {
        fd_.reset();
        sockaddr_un addr{};
        addr.sun_family = AF_UNIX;
        if (path_.size() >= sizeof addr.sun_path) return;
        std::memcpy(addr.sun_path, path_.c_str(), path_.size() + 1);
        for (const int type : {SOCK_DGRAM, SOCK_STREAM}) {
            UniqueFd fd(::socket(AF_UNIX, type | SOCK_CLOEXEC, 0));
            if (!fd.valid()) return;
            if (::connect(fd.get(), reinterpret_cast<const sockaddr*>(&addr), sizeof addr) == 0) {
                fd_ = std::move(fd);
                stream_ = type == SOCK_STREAM;
                return;
            }
            if (errno != EPROTOTYPE) return;
        }
    }

    const std::string ident_;
    const std::string path_;
    // As Postfix does for a command run by hand: problems also go to the terminal.
    const bool echo_ = isatty(STDERR_FILENO) == 1;
    std::mutex mu_;  // guards everything below
    UniqueFd fd_;
    bool stream_ = false;
    std::time_t stamped_ = -1;
    char stamp_[kTimestamp] = {};
    std::string msg_;  // reused: no allocation per line once grown
};

}  // namespace

std::unique_ptr<Sink> make_syslog_sink(std::string_view program) {
    return std::make_unique<SyslogSink>(program, kDevLog);
}

std::unique_ptr<Sink> make_syslog_sink_at(std::string_view program, std::string socket_path) {
    return std::make_unique<SyslogSink>(program, std::move(socket_path));
}

}  // namespace mw::log
