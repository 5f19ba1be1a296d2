#include <catch2/catch.hpp>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fstream>

#include "common/daemon/listener.hpp"
#include "tests/support/temp_dir.hpp"

using namespace mw::daemon;

TEST_CASE("Listener: unix socket with mode, stale file replaced, live one refused", "[daemon]") {
    mw::test::TempDir dir;
    const auto path = dir.file("s.sock");
    const auto spec = *ListenSpec::parse("unix:" + path, false);
    SocketOptions opts{0640, geteuid() == 0 ? "nobody:nogroup" : "", 16};
    {
        auto fd = open_listener(spec, opts);
        REQUIRE(fd);
        struct stat st{};
        REQUIRE(stat(path.c_str(), &st) == 0);
        CHECK((st.st_mode & 07777) == 0640);
        if (geteuid() == 0) CHECK(st.st_uid != 0);
        CHECK(unix_socket_is_live(path));
        // A second instance must not take over the socket of a running one.
        auto second = open_listener(spec, opts);
        REQUIRE_FALSE(second);
        CHECK(second.error().message.find("another process is listening") != std::string::npos);
    }
    // The first instance is gone; its socket file stays behind, stale: replaced.
    CHECK_FALSE(unix_socket_is_live(path));
    auto again = open_listener(spec, opts);
    CHECK(again);
}

TEST_CASE("Listener: a path that is not a socket is refused", "[daemon]") {
    mw::test::TempDir dir;
    const auto path = dir.write("file", "data");
    auto fd = open_listener(*ListenSpec::parse("unix:" + path, false), {});
    REQUIRE_FALSE(fd);
    CHECK(fd.error().message.find("not a socket") != std::string::npos);
    std::ifstream in(path);
    std::string content;
    in >> content;
    CHECK(content == "data");   // never deleted
}

TEST_CASE("Listener: inet on loopback", "[daemon]") {
    // Find a free port, then listen on it through the spec.
    mw::UniqueFd probe(::socket(AF_INET, SOCK_STREAM, 0));
    sockaddr_in sa{};
    sa.sin_family = AF_INET;
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    REQUIRE(::bind(probe.get(), reinterpret_cast<sockaddr*>(&sa), sizeof sa) == 0);
    socklen_t len = sizeof sa;
    REQUIRE(getsockname(probe.get(), reinterpret_cast<sockaddr*>(&sa), &len) == 0);
    const int port = ntohs(sa.sin_port);
    probe.reset();
    auto spec = ListenSpec::parse("inet:127.0.0.1:" + std::to_string(port), false);
    REQUIRE(spec);
    auto fd = open_listener(*spec, {});
    REQUIRE(fd);
    CHECK_FALSE(open_listener(*spec, {}));   // port in use
}

TEST_CASE("Listener: unknown socket owner is an error when root", "[daemon]") {
    if (geteuid() != 0) return;
    mw::test::TempDir dir;
    auto fd = open_listener(*ListenSpec::parse("unix:" + dir.file("s.sock"), false),
                            {0660, "no-such-user-mw:nogroup", 16});
    REQUIRE_FALSE(fd);
    CHECK(fd.error().message.find("unknown user") != std::string::npos);
}
