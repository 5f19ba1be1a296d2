// mailwarden-policyd as Postfix sees it: the real binary on a unix socket and in stdio (spawn)
// mode, resolving through an unbound started on loopback by the test.
#include <catch2/catch.hpp>

#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <memory>
#include <thread>

#include "common/daemon/listener.hpp"
#include "tests/support/daemon_process.hpp"
#include "tests/support/loopback_dns_server.hpp"
#include "tests/support/policy_client.hpp"
#include "tests/support/silent_dns_server.hpp"
#include "tests/support/temp_dir.hpp"

using namespace mw::test;
using namespace std::chrono_literals;

namespace {

// The zone every test resolves in: example.test authorizes 192.0.2.0/24, mx.example.test is a
// HELO name with an "a" record, and cve.test carries the CVE-2023-42118 record that makes
// libspf2 abort.
void add_test_zone(LoopbackDnsServer& dns) {
    dns.add_zone("test.");
    dns.add_record("example.test. 300 IN TXT \"v=spf1 ip4:192.0.2.0/24 -all\"");
    dns.add_record("soft.test. 300 IN TXT \"v=spf1 ip4:192.0.2.0/24 ~all\"");
    dns.add_record("mx.example.test. 300 IN A 192.0.2.10");
    dns.add_record("mx.example.test. 300 IN TXT \"v=spf1 a/24 -all\"");
    dns.add_record("broken.test. 300 IN TXT \"v=spf1 ip4:192.0.2.0/33 -all\"");
    // The record that makes Debian's libspf2 1.2.10 smash its stack (CVE-2023-42118; the shape
    // tests/differential/libspf2_cve_test.cpp proves crashes it): 3327 bytes, so served as
    // 255-byte character-strings, joined by the resolver (RFC 7208 §3.3).
    std::string cve = "v=spf1 exists:";
    for (int i = 0; i < 127; ++i) cve += "%{d}";
    for (int i = 0; i < 1400; ++i) cve += "%-";
    cve += " -all";
    std::vector<std::string> strings;
    for (std::size_t i = 0; i < cve.size(); i += 255) strings.push_back(cve.substr(i, 255));
    dns.add_txt("cve.test.", strings);
}

std::string base_config(const TempDir& dir, const std::string& dns) {
    return "listen = unix:" + dir.file("policyd.sock") +
           "\nlog_target = stderr\nlog_level = info\nuser = nobody\nsocket_owner = nobody:nogroup\n"
           "dns_servers = " + dns + "\ndns_timeout = 2s\nlookup_time = 5s\nrequest_timeout = 2s\n"
           "receiver = mx.receiver.test\n";
}

std::map<std::string, std::string> rcpt(const std::string& instance, const std::string& client,
                                        const std::string& sender, const std::string& recipient,
                                        const std::string& helo = "mx.example.test") {
    return {{"protocol_state", "RCPT"}, {"protocol_name", "ESMTP"}, {"client_address", client},
            {"client_name", "unknown"}, {"helo_name", helo}, {"sender", sender},
            {"recipient", recipient}, {"instance", instance}, {"queue_id", ""}};
}

struct Fixture {
    TempDir dir;
    LoopbackDnsServer dns;
    std::unique_ptr<DaemonProcess> daemon;
    std::string config;

    explicit Fixture(const std::string& extra = "") {
        add_test_zone(dns);
        dns.start();
        config = dir.write("policyd.conf", base_config(dir, dns.address()) + extra);
        daemon = std::make_unique<DaemonProcess>(DaemonProcess::Options{
            MW_POLICYD_BIN, {"-f", "-c", config}, dir.file("policyd.sock"), false, dir.file("log")});
    }
    PolicyClient client() const { return PolicyClient(dir.file("policyd.sock")); }
};

bool starts_with(const std::optional<std::string>& s, const std::string& prefix) {
    return s && s->rfind(prefix, 0) == 0;
}

}  // namespace

TEST_CASE("policyd: a Postfix-like sequence on one connection", "[daemon][policyd]") {
    Fixture f;
    auto c = f.client();
    // Message 1, pass, two recipients: one header, then DUNNO for the second recipient.
    auto r1 = c.ask(rcpt("a1.1", "192.0.2.5", "alice@example.test", "u1@rcpt.test"));
    INFO(f.daemon->log());
    REQUIRE(starts_with(r1, "action=PREPEND Received-SPF: pass"));
    CHECK(r1->find("receiver=mx.receiver.test") != std::string::npos);
    CHECK(c.ask(rcpt("a1.1", "192.0.2.5", "alice@example.test", "u2@rcpt.test")) == "action=DUNNO");
    // Message 2 on the same connection, fail: every recipient rejected with RFC 7372's code.
    auto r3 = c.ask(rcpt("a1.2", "198.51.100.7", "bob@example.test", "u1@rcpt.test", "other.test"));
    REQUIRE(starts_with(r3, "action=550 5.7.23"));
    auto r4 = c.ask(rcpt("a1.2", "198.51.100.7", "bob@example.test", "u2@rcpt.test", "other.test"));
    CHECK(r4 == r3);
    // Message 3: softfail is accepted with a header.
    CHECK(starts_with(c.ask(rcpt("a1.3", "198.51.100.7", "x@soft.test", "u@rcpt.test", "other.test")),
                      "action=PREPEND Received-SPF: softfail"));
    // The decision lines of the contract.
    REQUIRE(f.daemon->wait_for_log("spf=fail identity=mailfrom client=[198.51.100.7]", 5s));
    const auto log = f.daemon->log();
    const auto at = log.find("spf=fail identity=mailfrom client=[198.51.100.7]");
    const auto line = log.substr(at, log.find('\n', at) - at);
    CHECK(line.find(" helo=other.test envelope-from=<bob@example.test> ") != std::string::npos);
    CHECK(line.size() > 14);
    CHECK(line.substr(line.size() - 14) == " action=reject");
    // One line per message: the second recipient replayed the decision without a new line.
    CHECK(log.find("spf=fail identity=mailfrom client=[198.51.100.7]", at + 1) == std::string::npos);
}

TEST_CASE("policyd: null sender checks the HELO identity", "[daemon][policyd]") {
    Fixture f;
    auto c = f.client();
    auto pass = c.ask(rcpt("n1", "192.0.2.10", "", "u@rcpt.test"));
    REQUIRE(starts_with(pass, "action=PREPEND Received-SPF: pass"));
    CHECK(pass->find("identity=helo") != std::string::npos);
    auto failed = c.ask(rcpt("n2", "198.51.100.1", "", "u@rcpt.test"));
    CHECK(starts_with(failed, "action=550 5.7.23"));
}

TEST_CASE("policyd: permerror and the CVE-2023-42118 record", "[daemon][policyd]") {
    Fixture f("permerror_reject = yes\n");
    auto c = f.client();
    CHECK(starts_with(c.ask(rcpt("p1", "192.0.2.5", "a@broken.test", "u@rcpt.test", "x.test")),
                      "action=550 5.7.24"));
    // The record that smashes libspf2's stack: we answer, and keep serving.
    auto cve = c.ask(rcpt("p2", "192.0.2.5", "a@cve.test", "u@rcpt.test", "x.test"));
    REQUIRE(cve);
    CHECK(starts_with(cve, "action=550 5.7.23"));   // exists: matches nothing: -all
    CHECK(f.daemon->running());
    CHECK(starts_with(c.ask(rcpt("p3", "192.0.2.5", "a@example.test", "u@rcpt.test")),
                      "action=PREPEND Received-SPF: pass"));
}

TEST_CASE("policyd: 50 parallel connections", "[daemon][policyd]") {
    Fixture f;
    std::atomic<int> good{0};
    std::vector<std::thread> threads;
    for (int t = 0; t < 50; ++t) {
        threads.emplace_back([&, t] {
            auto c = f.client();
            for (int m = 0; m < 10; ++m) {
                const auto inst = std::to_string(t) + "." + std::to_string(m);
                const bool pass = m % 2 == 0;
                auto r = c.ask(rcpt(inst, pass ? "192.0.2.7" : "203.0.113.7", "s@example.test", "r@rcpt.test",
                                    "h" + std::to_string(t) + ".test"));
                if (starts_with(r, pass ? "action=PREPEND Received-SPF: pass" : "action=550 5.7.23")) ++good;
            }
        });
    }
    for (auto& th : threads) th.join();
    CHECK(good == 500);
}

TEST_CASE("policyd: bad input closes that connection only", "[daemon][policyd]") {
    Fixture f;
    auto steady = f.client();
    REQUIRE(starts_with(steady.ask(rcpt("b0", "192.0.2.5", "a@example.test", "u@rcpt.test")), "action=PREPEND"));

    SECTION("binary junk") {
        auto bad = f.client();
        bad.send(std::string("request=smtpd_access_policy\n\x01\x02\x00\xff junk\n\n", 40));
        CHECK(bad.closed_by_server(5s));
        CHECK(f.daemon->wait_for_log("bad policy request", 5s));
    }
    SECTION("a 1 MiB line") {
        auto bad = f.client();
        bad.send("request=smtpd_access_policy\nsender=" + std::string(1 << 20, 'x') + "\n\n");
        CHECK(bad.closed_by_server(5s));
    }
    SECTION("not a policy request") {
        auto bad = f.client();
        bad.send("request=something_else\n\n");
        CHECK(bad.closed_by_server(5s));
    }
    SECTION("an early disconnect") {
        {
            auto bad = f.client();
            bad.send("request=smtpd_access_policy\nsender=a@example.test\n");
        }
        CHECK(f.daemon->wait_for_log("closed in the middle of a request", 5s));
    }
    SECTION("a client that stalls in a request") {
        auto bad = f.client();
        bad.send("request=smtpd_access_policy\nsender=a@example.test\n");
        // Meanwhile the others are served.
        CHECK(starts_with(steady.ask(rcpt("b1", "192.0.2.5", "a@example.test", "u@rcpt.test")), "action=PREPEND"));
        CHECK(bad.closed_by_server(10s));   // request_timeout = 2s
        CHECK(f.daemon->log().find("stalled") != std::string::npos);
    }
    CHECK(f.daemon->running());
    CHECK(starts_with(steady.ask(rcpt("b2", "203.0.113.1", "a@example.test", "u@rcpt.test", "x.test")),
                      "action=550 5.7.23"));
}

TEST_CASE("policyd: DNS timeouts give temperror, deferred only when configured", "[daemon][policyd]") {
    SilentDnsServer silent;
    TempDir dir;
    const auto sock = dir.file("policyd.sock");
    auto conf = base_config(dir, silent.address()) + "dns_timeout = 1s\nlookup_time = 3s\n";
    SECTION("default: accept with a temperror header") {
        DaemonProcess d({MW_POLICYD_BIN, {"-f", "-c", dir.write("p.conf", conf)}, sock, false, dir.file("log")});
        PolicyClient c(sock);
        auto r = c.ask(rcpt("t1", "192.0.2.5", "a@example.test", "u@rcpt.test", "x.test"));
        CHECK(starts_with(r, "action=PREPEND Received-SPF: temperror"));
    }
    SECTION("temperror_defer = yes") {
        DaemonProcess d({MW_POLICYD_BIN, {"-f", "-c", dir.write("p.conf", conf + "temperror_defer = yes\n")},
                         sock, false, dir.file("log")});
        PolicyClient c(sock);
        auto r = c.ask(rcpt("t2", "192.0.2.5", "a@example.test", "u@rcpt.test", "x.test"));
        CHECK((starts_with(r, "action=DEFER_IF_PERMIT 4.7.24") || starts_with(r, "action=451 4.7.24")));
    }
}

TEST_CASE("policyd: stdio mode as a spawn(8) child", "[daemon][policyd]") {
    TempDir dir;
    LoopbackDnsServer dns;
    add_test_zone(dns);
    dns.start();
    const auto conf = dir.write("p.conf", base_config(dir, dns.address()) + "listen = stdio\n");
    DaemonProcess d({MW_POLICYD_BIN, {"-c", conf}, "", true, dir.file("log")});
    auto c = PolicyClient::from_fd(d.stdio_fd());
    CHECK(starts_with(c.ask(rcpt("s1", "192.0.2.5", "a@example.test", "u@rcpt.test")),
                      "action=PREPEND Received-SPF: pass"));
    CHECK(starts_with(c.ask(rcpt("s2", "203.0.113.5", "a@example.test", "u@rcpt.test", "x.test")),
                      "action=550 5.7.23"));
    ::shutdown(d.stdio_fd(), SHUT_WR);   // smtpd closes the connection: the child exits
    const int st = d.wait_exit(10s);
    REQUIRE(st != -1);
    CHECK(WIFEXITED(st));
    CHECK(WEXITSTATUS(st) == 0);
}

TEST_CASE("policyd: stdio mode exits after idle_timeout", "[daemon][policyd]") {
    TempDir dir;
    const auto conf = dir.write("p.conf", "listen = stdio\nlog_target = stderr\nidle_timeout = 1s\n"
                                          "dns_servers = 127.0.0.1:9\nlookup_time = 1s\n");
    DaemonProcess d({MW_POLICYD_BIN, {"-c", conf}, "", true, dir.file("log")});
    CHECK(d.wait_exit(10s) != -1);
}

TEST_CASE("policyd: -t, -n, -d and config errors", "[daemon][policyd]") {
    TempDir dir;
    const auto good = dir.write("good.conf", "# comment\nhelo_reject = SPF_Not_Pass\n");
    CHECK(run_command({MW_POLICYD_BIN, "-t", "-c", good}).exit_code == 0);
    auto n = run_command({MW_POLICYD_BIN, "-n", "-c", good});
    CHECK(n.output == "helo_reject = spf_not_pass\n");
    auto d = run_command({MW_POLICYD_BIN, "-d"});
    CHECK(d.output.find("lookup_time = 20s\n") != std::string::npos);
    CHECK(d.output.find("listen = unix:/var/spool/postfix/private/mailwarden-policyd\n") != std::string::npos);

    const auto bad = dir.write("bad.conf", "helo_reject = fail\n\nmail_from_reject = sometimes\n");
    auto t = run_command({MW_POLICYD_BIN, "-t", "-c", bad});
    CHECK(t.exit_code == 1);
    CHECK(t.output.find(bad + ":3: bad value for mail_from_reject") != std::string::npos);
    auto unknown = run_command({MW_POLICYD_BIN, "-t", "-c", dir.write("u.conf", "no_such_key = 1\n")});
    CHECK(unknown.exit_code == 1);
    CHECK(unknown.output.find("u.conf:1: unknown parameter") != std::string::npos);
    auto listen = run_command({MW_POLICYD_BIN, "-t", "-c", dir.write("l.conf", "listen = tcp:1\n")});
    CHECK(listen.exit_code == 1);
    CHECK(listen.output.find("l.conf:1: bad listen address") != std::string::npos);
    CHECK(run_command({MW_POLICYD_BIN, "-t", "-c", dir.file("missing.conf")}).exit_code == 1);
    CHECK(run_command({MW_POLICYD_BIN, "-o", "bogus=1", "-t"}).exit_code == 1);
    CHECK(run_command({MW_POLICYD_BIN, "--bogus"}).exit_code == 2);
}

TEST_CASE("policyd: SIGUSR1 reload keeps the old config when the new one is bad", "[daemon][policyd]") {
    Fixture f;
    auto c = f.client();
    REQUIRE(starts_with(c.ask(rcpt("r1", "203.0.113.2", "a@example.test", "u@rcpt.test", "x.test")),
                        "action=550 5.7.23"));
    // A bad file: logged, old config kept, connection still served.
    f.dir.write("policyd.conf", base_config(f.dir, f.dns.address()) + "mail_from_reject = whenever\n");
    f.daemon->send_signal(SIGUSR1);
    REQUIRE(f.daemon->wait_for_log("reload failed, keeping the running configuration", 10s));
    CHECK(f.daemon->log().find("policyd.conf:") != std::string::npos);
    CHECK(starts_with(c.ask(rcpt("r2", "203.0.113.2", "a@example.test", "u@rcpt.test", "x.test")),
                      "action=550 5.7.23"));
    // A good file that stops rejecting: applies to the next message on the same connection.
    f.dir.write("policyd.conf", base_config(f.dir, f.dns.address()) + "mail_from_reject = false\n"
                                                                      "helo_reject = false\n");
    f.daemon->send_signal(SIGUSR1);
    REQUIRE(f.daemon->wait_for_log("reloaded configuration", 10s));
    CHECK(starts_with(c.ask(rcpt("r3", "203.0.113.2", "a@example.test", "u@rcpt.test", "x.test")),
                      "action=PREPEND Received-SPF: fail"));
}

TEST_CASE("policyd: SIGTERM stops it cleanly", "[daemon][policyd]") {
    Fixture f;
    auto c = f.client();
    REQUIRE(c.ask(rcpt("q1", "192.0.2.5", "a@example.test", "u@rcpt.test")));
    f.daemon->send_signal(SIGTERM);
    const int st = f.daemon->wait_exit(15s);
    REQUIRE(st != -1);
    CHECK(WIFEXITED(st));
    CHECK(WEXITSTATUS(st) == 0);
    CHECK(f.daemon->log().find("stopping") != std::string::npos);
}

TEST_CASE("policyd: dry_run logs the reject but answers with the header only", "[daemon][policyd]") {
    Fixture f("dry_run = yes\n");
    auto c = f.client();
    auto r = c.ask(rcpt("d1", "203.0.113.2", "a@example.test", "u@rcpt.test", "x.test"));
    INFO(r.value_or("no reply"));
    CHECK(starts_with(r, "action=PREPEND Received-SPF: fail"));
    REQUIRE(f.daemon->wait_for_log("spf=fail identity=mailfrom client=[203.0.113.2]", 5s));
    CHECK(f.daemon->log().find("dry_run") != std::string::npos);
}

TEST_CASE("policyd: header_type = ar prepends Authentication-Results", "[daemon][policyd]") {
    Fixture f("header_type = ar\nauthserv_id = mx.receiver.test\n");
    auto c = f.client();
    auto r = c.ask(rcpt("h1", "192.0.2.5", "a@example.test", "u@rcpt.test"));
    REQUIRE(starts_with(r, "action=PREPEND Authentication-Results: mx.receiver.test;"));
    CHECK(r->find("spf=pass") != std::string::npos);
    CHECK(r->find("smtp.mailfrom=") != std::string::npos);
}

TEST_CASE("policyd: SIGTERM lets a request in flight finish", "[daemon][policyd]") {
    SilentDnsServer silent;
    TempDir dir;
    const auto sock = dir.file("policyd.sock");
    const auto conf = dir.write("p.conf", base_config(dir, silent.address()) +
                                              "dns_timeout = 2s\nlookup_time = 2s\nshutdown_timeout = 10s\n");
    DaemonProcess d({MW_POLICYD_BIN, {"-f", "-c", conf}, sock, false, dir.file("log")});
    PolicyClient c(sock);
    REQUIRE(c.send(PolicyClient::request(rcpt("g1", "192.0.2.5", "a@example.test", "u@rcpt.test", "x.test"))));
    // The check now waits on DNS that never answers; stop the daemon meanwhile.
    for (int i = 0; i < 500 && silent.queries() == 0; ++i) std::this_thread::sleep_for(10ms);
    REQUIRE(silent.queries() > 0);
    d.send_signal(SIGTERM);
    auto r = c.read_reply(10s);
    CHECK(starts_with(r, "action=PREPEND Received-SPF: temperror"));   // answered, not dropped
    const int st = d.wait_exit(15s);
    REQUIRE(st != -1);
    CHECK(WIFEXITED(st));
    CHECK(WEXITSTATUS(st) == 0);
}

namespace {

// The pid of the process whose command line contains `needle` (the detached daemon has no parent
// we know of), or -1.
pid_t find_process(const std::string& needle) {
    for (const auto& e : std::filesystem::directory_iterator("/proc")) {
        const auto name = e.path().filename().string();
        if (name.find_first_not_of("0123456789") != std::string::npos) continue;
        std::ifstream in(e.path() / "cmdline", std::ios::binary);
        std::string cmd((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
        if (cmd.find(needle) != std::string::npos && cmd.find("mailwarden-policyd") != std::string::npos)
            return static_cast<pid_t>(std::stol(name));
    }
    return -1;
}

}  // namespace

TEST_CASE("policyd: without -f it detaches and keeps serving", "[daemon][policyd]") {
    TempDir dir;
    LoopbackDnsServer dns;
    add_test_zone(dns);
    dns.start();
    const auto conf = dir.write("detach.conf", base_config(dir, dns.address()));
    const auto sock = dir.file("policyd.sock");
    // The command returns at once (the daemon's parent leaves); the socket stays alive.
    auto r = run_command({MW_POLICYD_BIN, "-c", conf}, 10s);
    CHECK(r.exit_code == 0);
    for (int i = 0; i < 500 && !mw::daemon::unix_socket_is_live(sock); ++i) std::this_thread::sleep_for(10ms);
    REQUIRE(find_process(conf) > 0);
    {
        PolicyClient c(sock);
        CHECK(starts_with(c.ask(rcpt("x1", "192.0.2.5", "a@example.test", "u@rcpt.test")),
                          "action=PREPEND Received-SPF: pass"));
    }
    // Right after detaching, the first-fork intermediate may still be listed: stop whatever
    // matches until nothing does.
    for (int i = 0; i < 1000; ++i) {
        const pid_t pid = find_process(conf);
        if (pid <= 0) break;
        ::kill(pid, SIGTERM);
        std::this_thread::sleep_for(10ms);
    }
    CHECK(find_process(conf) == -1);
}
