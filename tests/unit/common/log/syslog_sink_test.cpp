#include <catch2/catch.hpp>

#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cstdlib>
#include <ctime>
#include <regex>
#include <string>

#include "common/base/unique_fd.hpp"
#include "common/log/logger.hpp"

using mw::UniqueFd;

namespace {

// A stand-in syslog daemon: a unix socket of `type` bound at a fresh temporary path.
struct FakeSyslog {
    explicit FakeSyslog(int type = SOCK_DGRAM) {
        char dir[] = "/tmp/mw-syslog-test.XXXXXX";
        REQUIRE(::mkdtemp(dir) != nullptr);
        dir_ = dir;
        path = dir_ + "/log";
        bind(type);
    }
    ~FakeSyslog() {
        fd.reset();
        ::unlink(path.c_str());
        ::rmdir(dir_.c_str());
    }
    void bind(int type) {
        fd.reset();
        ::unlink(path.c_str());
        fd = UniqueFd(::socket(AF_UNIX, type | SOCK_CLOEXEC, 0));
        REQUIRE(fd.valid());
        sockaddr_un a{};
        a.sun_family = AF_UNIX;
        path.copy(a.sun_path, path.size());
        REQUIRE(::bind(fd.get(), reinterpret_cast<sockaddr*>(&a), sizeof a) == 0);
        if (type == SOCK_STREAM) REQUIRE(::listen(fd.get(), 1) == 0);
    }
    std::string receive(int from) {
        timeval tv{2, 0};
        ::setsockopt(from, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
        char buf[8192];
        const ssize_t n = ::recv(from, buf, sizeof buf, 0);
        return n > 0 ? std::string(buf, static_cast<std::size_t>(n)) : std::string();
    }
    std::string receive() { return receive(fd.get()); }

    std::string dir_;
    std::string path;
    UniqueFd fd;
};

std::string expected_prefix(int pri) {
    return "<" + std::to_string(pri) + ">";
}

}  // namespace

TEST_CASE("syslog sink: glibc's datagram, LOG_MAIL, ident with PID", "[log]") {
    FakeSyslog daemon;
    auto sink = mw::log::make_syslog_sink_at("test", daemon.path);
    const std::time_t before = std::time(nullptr);
    sink->write(mw::log::Level::Info, "4BzLbd0: spf=pass action=prepend");
    const std::string got = daemon.receive();
    const std::string ident = "mailwarden/test[" + std::to_string(::getpid()) + "]";
    // "<22>Nov  4 09:05:01 mailwarden/test[PID]: text", as glibc's syslog() sends it.
    const std::regex form(R"(<22>(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) [ 123][0-9] [0-2][0-9]:[0-5][0-9]:[0-6][0-9] )" +
                          std::string(R"(mailwarden/test\[)") + std::to_string(::getpid()) +
                          R"(\]: 4BzLbd0: spf=pass action=prepend)");
    CHECK(std::regex_match(got, form));
    // The day is today's (or the next second's, across midnight).
    std::tm tm{};
    localtime_r(&before, &tm);
    char day[4];
    std::snprintf(day, sizeof day, "%2d", tm.tm_mday);
    const std::time_t after = std::time(nullptr);
    if (after == before) CHECK(got.substr(8, 2) == day);
    CHECK(got.find(ident + ": ") != std::string::npos);

    sink->write(mw::log::Level::Warning, "w");
    CHECK(daemon.receive().rfind(expected_prefix(2 * 8 + 4), 0) == 0);   // LOG_MAIL|LOG_WARNING
    sink->write(mw::log::Level::Error, "e");
    CHECK(daemon.receive().rfind(expected_prefix(2 * 8 + 3), 0) == 0);
    sink->write(mw::log::Level::Debug, "d");
    CHECK(daemon.receive().rfind(expected_prefix(2 * 8 + 7), 0) == 0);
}

TEST_CASE("syslog sink: reconnects after the syslog daemon restarts", "[log]") {
    FakeSyslog daemon;
    auto sink = mw::log::make_syslog_sink_at("test", daemon.path);
    sink->write(mw::log::Level::Info, "one");
    CHECK(daemon.receive().find(": one") != std::string::npos);
    daemon.bind(SOCK_DGRAM);  // a new socket at the same path: the old connection is dead
    sink->write(mw::log::Level::Info, "two");
    CHECK(daemon.receive().find(": two") != std::string::npos);
}

TEST_CASE("syslog sink: no daemon, lines dropped, then delivered once it is there", "[log]") {
    FakeSyslog daemon;
    daemon.fd.reset();
    ::unlink(daemon.path.c_str());
    auto sink = mw::log::make_syslog_sink_at("test", daemon.path);
    sink->write(mw::log::Level::Info, "lost");  // must not block or crash
    daemon.bind(SOCK_DGRAM);
    sink->write(mw::log::Level::Info, "found");
    CHECK(daemon.receive().find(": found") != std::string::npos);
}

TEST_CASE("syslog sink: a stream socket gets NUL-terminated messages", "[log]") {
    FakeSyslog daemon(SOCK_STREAM);
    auto sink = mw::log::make_syslog_sink_at("test", daemon.path);
    UniqueFd conn(::accept(daemon.fd.get(), nullptr, nullptr));
    REQUIRE(conn.valid());
    sink->write(mw::log::Level::Info, "streamed");
    const std::string got = daemon.receive(conn.get());
    REQUIRE_FALSE(got.empty());
    CHECK(got.back() == '\0');
    CHECK(got.find(": streamed") != std::string::npos);
}
