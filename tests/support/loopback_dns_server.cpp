#include "tests/support/loopback_dns_server.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <chrono>
#include <cstdlib>
#include <fstream>
#include <optional>
#include <sstream>
#include <stdexcept>
#include <thread>

#include "common/base/unique_fd.hpp"
#include "tests/support/loopback_socket.hpp"

extern char** environ;

namespace mw::test {

namespace {

constexpr const char* kUnbound = "/usr/sbin/unbound";
constexpr int kPortAttempts = 20;
constexpr auto kReadyBound = std::chrono::seconds(15);
constexpr auto kStopBound = std::chrono::seconds(5);

// A port free on 127.0.0.1 for both UDP and TCP at this moment (released before returning).
std::optional<uint16_t> free_port() {
    UniqueFd udp(::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0));
    if (!udp.valid() || !bind_loopback(udp.get(), 0)) return std::nullopt;
    uint16_t port = bound_port(udp.get());
    UniqueFd tcp(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
    if (port == 0 || !tcp.valid() || !bind_loopback(tcp.get(), port)) return std::nullopt;
    return port;
}

// A DNS query for ". SOA" (RFC 1035 §4.1): any reply at all shows the server is up.
bool answers_udp(uint16_t port) {
    static constexpr std::array<uint8_t, 17> kQuery = {0x4d, 0x57, 0x01, 0x00, 0, 1, 0, 0, 0,
                                                       0,    0,    0,    0,    0, 6, 0, 1};
    UniqueFd fd(::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0));
    auto sa = loopback_address(port);
    if (!fd.valid() || ::connect(fd.get(), reinterpret_cast<const sockaddr*>(&sa), sizeof sa) != 0)
        return false;
    if (::send(fd.get(), kQuery.data(), kQuery.size(), 0) < 0) return false;
    pollfd p{fd.get(), POLLIN, 0};
    if (::poll(&p, 1, 200) <= 0) return false;
    std::array<uint8_t, 512> reply{};
    return ::recv(fd.get(), reply.data(), reply.size(), 0) >= 12;
}

void check_no_quote(const std::string& text, const char* bad) {
    if (text.find_first_of(bad) != std::string::npos)
        throw std::invalid_argument("LoopbackDnsServer: unsupported character in: " + text);
}

}  // namespace

LoopbackDnsServer::LoopbackDnsServer() {
    const char* tmp = std::getenv("TMPDIR");
    std::string tmpl = std::string(tmp && *tmp ? tmp : "/tmp") + "/mw-dns-XXXXXX";
    if (!::mkdtemp(tmpl.data())) throw std::runtime_error("LoopbackDnsServer: mkdtemp failed");
    dir_ = tmpl;
    lines_.push_back("local-zone: \".\" refuse");  // nothing outside the test zones
}

LoopbackDnsServer::~LoopbackDnsServer() {
    stop();
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
}

void LoopbackDnsServer::add_zone(const std::string& zone, const std::string& type, bool soa) {
    check_no_quote(zone + type, "\"'\n");
    lines_.push_back("local-zone: \"" + zone + "\" " + type);
    if (soa)
        add_record(zone + " 300 IN SOA ns." + zone + " hostmaster." + zone +
                   " 1 3600 600 86400 60");
}

void LoopbackDnsServer::add_record(const std::string& rr) {
    check_no_quote(rr, "'\n");
    lines_.push_back("local-data: '" + rr + "'");
}

void LoopbackDnsServer::add_txt(const std::string& name, const std::vector<std::string>& strings,
                                uint32_t ttl) {
    std::string rr = name + " " + std::to_string(ttl) + " IN TXT";
    for (const auto& s : strings) {
        if (s.size() > 255)
            throw std::invalid_argument("LoopbackDnsServer: TXT string over 255 bytes");
        check_no_quote(s, "\"\\");
        rr += " \"" + s + "\"";
    }
    add_record(rr);
}

std::string LoopbackDnsServer::address() const { return "127.0.0.1:" + std::to_string(port_); }

std::string LoopbackDnsServer::log() const {
    std::ifstream in(dir_ / "unbound.log");
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
}

void LoopbackDnsServer::write_config(uint16_t port) const {
    std::ofstream out(dir_ / "unbound.conf", std::ios::trunc);
    out << "server:\n"
        << "  interface: 127.0.0.1\n  port: " << port << "\n"
        << "  do-ip4: yes\n  do-ip6: no\n  do-udp: yes\n  do-tcp: yes\n"
        << "  do-daemonize: no\n  chroot: \"\"\n  username: \"\"\n"
        << "  directory: \"" << dir_.string() << "\"\n"
        << "  pidfile: \"" << (dir_ / "unbound.pid").string() << "\"\n"
        << "  logfile: \"\"\n  use-syslog: no\n  verbosity: 1\n"
        << "  num-threads: 1\n  so-reuseport: no\n  interface-automatic: no\n"
        << "  access-control: 127.0.0.0/8 allow\n  do-not-query-localhost: no\n"
        << "  module-config: \"iterator\"\n";
    for (const auto& line : lines_) out << "  " << line << "\n";
    out << "remote-control:\n  control-enable: no\n";
    if (!out)
        throw std::runtime_error("LoopbackDnsServer: cannot write " +
                                 (dir_ / "unbound.conf").string());
}

void LoopbackDnsServer::start() {
    if (pid_ > 0) return;
    for (int attempt = 0; attempt < kPortAttempts; ++attempt) {
        auto port = free_port();
        if (port && try_start(*port)) return;
    }
    throw std::runtime_error("LoopbackDnsServer: unbound did not start:\n" + log());
}

bool LoopbackDnsServer::try_start(uint16_t port) {
    write_config(port);
    auto conf = (dir_ / "unbound.conf").string();
    auto logfile = (dir_ / "unbound.log").string();
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&actions, 1, logfile.c_str(), O_WRONLY | O_CREAT | O_APPEND,
                                     0600);
    posix_spawn_file_actions_adddup2(&actions, 1, 2);
    std::string arg0 = kUnbound, arg1 = "-d", arg2 = "-c";
    char* argv[] = {arg0.data(), arg1.data(), arg2.data(), conf.data(), nullptr};
    int rc = ::posix_spawn(&pid_, kUnbound, &actions, nullptr, argv, environ);
    posix_spawn_file_actions_destroy(&actions);
    if (rc != 0) {
        pid_ = -1;
        throw std::runtime_error(std::string("LoopbackDnsServer: cannot run ") + kUnbound);
    }
    port_ = port;
    if (wait_ready()) return true;
    stop();  // most likely the port was taken meanwhile: try another
    return false;
}

bool LoopbackDnsServer::wait_ready() {
    auto until = std::chrono::steady_clock::now() + kReadyBound;
    while (std::chrono::steady_clock::now() < until) {
        int status = 0;
        if (::waitpid(pid_, &status, WNOHANG) == pid_) {
            pid_ = -1;
            return false;
        }
        if (answers_udp(port_)) return true;
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return false;
}

void LoopbackDnsServer::stop() {
    if (pid_ <= 0) return;
    ::kill(pid_, SIGTERM);
    auto until = std::chrono::steady_clock::now() + kStopBound;
    int status = 0;
    while (::waitpid(pid_, &status, WNOHANG) == 0) {
        if (std::chrono::steady_clock::now() >= until) {
            ::kill(pid_, SIGKILL);
            ::waitpid(pid_, &status, 0);
            break;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    pid_ = -1;
}

}  // namespace mw::test
