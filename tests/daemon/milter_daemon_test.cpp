// The milter framework end to end: tests/daemon/milter_echo (a milter on our libmilter driver)
// driven over a unix socket by our MTA-side client (MilterClient / run_transaction) and by
// `mailwarden milter-test` as a process.
#include <catch2/catch.hpp>

#include <signal.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cstring>
#include <fstream>
#include <memory>
#include <sstream>
#include <thread>

#include "common/milter/milter_transaction.hpp"
#include "tests/support/daemon_process.hpp"
#include "tests/support/temp_dir.hpp"

using namespace mw::milter;
using namespace mw::test;
using namespace std::chrono_literals;

namespace {

const char* kMessage =
    "From: Alice <alice@example.org>\n"
    "To: bob@example.net\n"
    "Subject: hello\n"
    "X-Delete-Me: please\n"
    "X-Folded: first\n"
    "\tsecond\n"
    "\n"
    "Hello Bob.\n"
    "Bye.\n";

struct Echo {
    TempDir dir;
    std::string sock = dir.file("echo.sock");
    std::unique_ptr<DaemonProcess> daemon;

    explicit Echo(std::vector<std::string> extra = {}) {
        std::vector<std::string> args{"--listen", "unix:" + sock};
        args.insert(args.end(), extra.begin(), extra.end());
        daemon = std::make_unique<DaemonProcess>(
            DaemonProcess::Options{MW_MILTER_ECHO_BIN, args, sock, false, dir.file("log")});
    }
    mw::daemon::ListenSpec where() const { return *mw::daemon::ListenSpec::parse("unix:" + sock, false); }
};

MailMessage message(const std::string& text = kMessage) {
    auto m = MailMessage::parse(text);
    REQUIRE(m);
    return *m;
}

Transaction transaction(std::vector<std::string> rcpts) {
    Transaction t;
    t.client = {"mail.example.org", ConnectInfo::Family::Inet4, "192.0.2.7", 40000};
    t.helo = "mail.example.org";
    t.from = "alice@example.org";
    t.rcpts = std::move(rcpts);
    return t;
}

const Response* find_edit(const TransactionResult& r, Response::Kind k, const std::string& name) {
    for (const auto& e : r.edits)
        if (e.kind == k && e.name == name) return &e;
    return nullptr;
}

std::string read_text(const std::string& path) {
    std::ifstream in(path);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

// A unix socket file nobody listens on any more.
void make_stale_socket(const std::string& path) {
    int fd = ::socket(AF_UNIX, SOCK_STREAM, 0);
    sockaddr_un sa{};
    sa.sun_family = AF_UNIX;
    std::strncpy(sa.sun_path, path.c_str(), sizeof sa.sun_path - 1);
    REQUIRE(::bind(fd, reinterpret_cast<sockaddr*>(&sa), sizeof sa) == 0);
    ::close(fd);
}

}  // namespace

TEST_CASE("milter: a message with two recipients gets every edit", "[daemon][milter]") {
    Echo echo;
    Transaction t = transaction({"bob@example.net", "carol@example.net"});
    t.auth_user = "alice";
    t.macros.set("daemon_name", "ORIGINATING");
    const MailMessage m = message();
    auto r = run_transaction(echo.where(), t, m);
    REQUIRE(r);
    CHECK(r->verdict == Verdict::Continue);
    CHECK(r->stage == "eom");
    REQUIRE(r->rcpts.size() == 2);
    CHECK(r->rcpts[1].verdict == Verdict::Continue);
    // Negotiated as the spec says: no replies for headers and body, our macro lists.
    CHECK((r->negotiated.protocol & wire::kNoReplyHeader) != 0);
    CHECK((r->negotiated.protocol & wire::kNoReplyBody) != 0);
    CHECK((r->negotiated.protocol & wire::kNoData) != 0);
    REQUIRE(r->negotiated.macros[0]);
    const auto* added = find_edit(*r, Response::Kind::AddHeader, "X-Milter-Test");
    REQUIRE(added);
    // 5 headers; body "Hello Bob.\r\nBye.\r\n" = 18 bytes, as the MTA sends it (CRLF).
    CHECK(added->value == "rcpts=2 headers=5 body=18 gen=1");
    const auto* macros = find_edit(*r, Response::Kind::AddHeader, "X-Milter-Macros");
    REQUIRE(macros);
    CHECK(macros->value.find("daemon_name=ORIGINATING auth=alice client_addr=192.0.2.7 queue=") == 0);
    CHECK(macros->value.find("queue=-") == std::string::npos);

    MailMessage applied = m;
    applied.apply(r->edits, false);
    const std::string out = applied.to_string();
    CHECK(out.rfind("X-Milter-First: yes\nFrom: Alice", 0) == 0);
    CHECK(out.find("Subject: [echo] hello\n") != std::string::npos);
    CHECK(out.find("X-Delete-Me") == std::string::npos);
    CHECK(out.find("X-Folded: first\n\tsecond\n") != std::string::npos);
    CHECK(out.find("\n\nHello Bob.\nBye.\n") != std::string::npos);
}

TEST_CASE("milter: a rejected recipient, then all recipients rejected", "[daemon][milter]") {
    Echo echo;
    auto r = run_transaction(echo.where(), transaction({"bob@example.net", "reject@example.net"}), message());
    REQUIRE(r);
    CHECK(r->verdict == Verdict::Continue);
    REQUIRE(r->rcpts.size() == 2);
    CHECK(r->rcpts[1].verdict == Verdict::Reject);
    CHECK(r->rcpts[1].reply == "550 5.1.1 no such user here");
    const auto* added = find_edit(*r, Response::Kind::AddHeader, "X-Milter-Test");
    REQUIRE(added);
    CHECK(added->value.rfind("rcpts=1 ", 0) == 0);

    auto all = run_transaction(echo.where(), transaction({"reject@example.net"}), message());
    REQUIRE(all);
    CHECK(all->verdict == Verdict::Reject);
    CHECK(all->stage == "rcpt");
    CHECK(all->edits.empty());
}

TEST_CASE("milter: quarantine reaches the MTA", "[daemon][milter]") {
    Echo echo;
    auto r = run_transaction(echo.where(), transaction({"bob@example.net"}),
                             message("Subject: please quarantine me\n\nx\n"));
    REQUIRE(r);
    const Response* q = nullptr;
    for (const auto& e : r->edits)
        if (e.kind == Response::Kind::Quarantine) q = &e;
    REQUIRE(q);
    CHECK(q->text == "echo quarantine");
}

TEST_CASE("milter: 32 parallel connections", "[daemon][milter]") {
    Echo echo;
    std::atomic<int> good{0};
    std::vector<std::thread> threads;
    const MailMessage m = message();
    for (int i = 0; i < 32; ++i) {
        threads.emplace_back([&, i] {
            auto r = run_transaction(echo.where(), transaction({"user" + std::to_string(i) + "@example.net"}), m);
            if (r && r->verdict == Verdict::Continue && find_edit(*r, Response::Kind::AddHeader, "X-Milter-Test") &&
                find_edit(*r, Response::Kind::AddHeader, "X-Milter-Test")->value == "rcpts=1 headers=5 body=18 gen=1")
                ++good;
        });
    }
    for (auto& t : threads) t.join();
    CHECK(good == 32);
}

TEST_CASE("milter: a session that throws answers the failure action", "[daemon][milter]") {
    SECTION("tempfail, thrown at a no-reply step (header): held until end of headers") {
        Echo echo({"--fail-at", "header", "--failure", "tempfail"});
        auto r = run_transaction(echo.where(), transaction({"bob@example.net"}), message());
        REQUIRE(r);
        CHECK(r->verdict == Verdict::Tempfail);
        CHECK(r->stage == "eoh");
        CHECK(r->reply == "451 4.3.0 mail filter failure, try again later");
        CHECK(echo.daemon->wait_for_log("failing at header as asked", 5s));
        // The daemon survives and serves the next connection (which fails the same way).
        auto again = run_transaction(echo.where(), transaction({"bob@example.net"}), message());
        REQUIRE(again);
        CHECK(again->verdict == Verdict::Tempfail);
    }
    SECTION("accept, thrown at end of message: no edits") {
        Echo echo({"--fail-at", "eom", "--failure", "accept"});
        auto r = run_transaction(echo.where(), transaction({"bob@example.net"}), message());
        REQUIRE(r);
        CHECK(r->verdict == Verdict::Accept);
        CHECK(r->edits.empty());
    }
    SECTION("tempfail at MAIL") {
        Echo echo({"--fail-at", "mail"});
        auto r = run_transaction(echo.where(), transaction({"bob@example.net"}), message());
        REQUIRE(r);
        CHECK(r->verdict == Verdict::Tempfail);
        CHECK(r->stage == "mail");
    }
}

TEST_CASE("milter: SIGUSR1 reaches new connections only", "[daemon][milter]") {
    Echo echo;
    auto before = MilterClient::open(echo.where());
    REQUIRE(before);
    REQUIRE(before->negotiate());
    REQUIRE(before->connect({"h", ConnectInfo::Family::Inet4, "192.0.2.1", 1}));
    echo.daemon->send_signal(SIGUSR1);
    REQUIRE(echo.daemon->wait_for_log("reloaded: generation 2", 5s));
    auto fresh = run_transaction(echo.where(), transaction({"bob@example.net"}), message());
    REQUIRE(fresh);
    CHECK(find_edit(*fresh, Response::Kind::AddHeader, "X-Milter-Test")->value.find("gen=2") != std::string::npos);
    // The connection opened before the reload keeps generation 1.
    REQUIRE(before->mail({"<a@example.org>"}));
    REQUIRE(before->rcpt({"<b@example.net>"}));
    REQUIRE(before->eoh());
    auto eom = before->eom();
    REQUIRE(eom);
    bool gen1 = false;
    for (const auto& e : eom->edits) gen1 = gen1 || (e.name == "X-Milter-Test" && e.value.find("gen=1") != std::string::npos);
    CHECK(gen1);
}

TEST_CASE("milter: SIGTERM lets a message in flight finish", "[daemon][milter]") {
    Echo echo({"--eom-delay-ms", "1500", "--drain-ms", "8000"});
    auto c = MilterClient::open(echo.where());
    REQUIRE(c);
    REQUIRE(c->negotiate());
    REQUIRE(c->connect({"h", ConnectInfo::Family::Inet4, "192.0.2.1", 1}));
    REQUIRE(c->mail({"<a@example.org>"}));
    REQUIRE(c->rcpt({"<b@example.net>"}));
    REQUIRE(c->header("Subject", "in flight"));
    REQUIRE(c->eoh());
    REQUIRE(c->body("body\r\n"));
    echo.daemon->send_signal(SIGTERM);
    INFO(echo.daemon->log());
    REQUIRE(echo.daemon->wait_for_log("finishing messages in flight", 5s));
    // A message that starts now is turned away for later.
    auto late = run_transaction(echo.where(), transaction({"bob@example.net"}), message());
    if (late) {   // the listener may already be closed; if not, the answer is 4.3.2
        CHECK(late->verdict == Verdict::Tempfail);
        CHECK(late->reply.find("4.3.2") != std::string::npos);
    }
    auto eom = c->eom();   // 1.5 s of work, then the edits arrive
    REQUIRE(eom);
    CHECK(eom->final.kind == Response::Kind::Continue);
    CHECK(eom->edits.size() >= 3);
    c->quit();
    const int status = echo.daemon->wait_exit(15s);
    REQUIRE(status != -1);
    CHECK(WIFEXITED(status));
    CHECK(WEXITSTATUS(status) == 0);
    CHECK(echo.daemon->log().find("stopped with 0 messages in flight") != std::string::npos);
}

TEST_CASE("milter: a stale socket file is replaced, a live one refused", "[daemon][milter]") {
    TempDir dir;
    const std::string sock = dir.file("s.sock");
    make_stale_socket(sock);
    DaemonProcess first({MW_MILTER_ECHO_BIN, {"--listen", "unix:" + sock}, sock, false, dir.file("log1")});
    auto r = run_transaction(*mw::daemon::ListenSpec::parse("unix:" + sock, false),
                             transaction({"bob@example.net"}), message());
    REQUIRE(r);
    CHECK(r->verdict == Verdict::Continue);

    auto second = run_command({MW_MILTER_ECHO_BIN, "--listen", "unix:" + sock}, 10s);
    CHECK(second.exit_code == 1);
    CHECK(second.output.find("another process is listening") != std::string::npos);
    // The first instance still owns its socket.
    auto again = run_transaction(*mw::daemon::ListenSpec::parse("local:" + sock, false),
                                 transaction({"bob@example.net"}), message());
    REQUIRE(again);
    CHECK(again->verdict == Verdict::Continue);
}

TEST_CASE("milter: mailwarden milter-test against the echo milter", "[daemon][milter]") {
    Echo echo;
    const std::string eml = echo.dir.write("m.eml", kMessage);
    const std::string out = echo.dir.file("out.eml");
    auto ok = run_command({MW_MAILWARDEN_BIN, "milter-test", "unix:" + echo.sock, eml, "--rcpt",
                           "bob@example.net", "--auth", "alice", "--daemon-name", "ORIGINATING",
                           "--client-ip", "2001:db8::5", "--apply", out});
    INFO(ok.output);
    CHECK(ok.exit_code == 0);
    CHECK(ok.output.find("header added: X-Milter-Test: rcpts=1 headers=5 body=18 gen=1") != std::string::npos);
    CHECK(ok.output.find("header inserted at 0: X-Milter-First: yes") != std::string::npos);
    CHECK(ok.output.find("header changed: Subject[1]: [echo] hello") != std::string::npos);
    CHECK(ok.output.find("header deleted: X-Delete-Me[1]") != std::string::npos);
    CHECK(ok.output.find("verdict: continue (at eom)") != std::string::npos);
    const std::string applied = read_text(out);
    CHECK(applied.find("X-Milter-Macros: daemon_name=ORIGINATING auth=alice client_addr=2001:db8::5") != std::string::npos);
    CHECK(applied.rfind("X-Milter-First: yes\n", 0) == 0);

    auto rejected = run_command({MW_MAILWARDEN_BIN, "milter-test", "unix:" + echo.sock, eml, "--rcpt",
                                 "reject@example.net"});
    CHECK(rejected.exit_code == 1);
    CHECK(rejected.output.find("rcpt <reject@example.net>: reject 550 5.1.1 no such user here") != std::string::npos);
    CHECK(rejected.output.find("verdict: reject (at rcpt)") != std::string::npos);

    auto nobody = run_command({MW_MAILWARDEN_BIN, "milter-test", "unix:" + echo.dir.file("none.sock"), eml});
    CHECK(nobody.exit_code == 2);
    auto usage = run_command({MW_MAILWARDEN_BIN, "milter-test", "unix:" + echo.sock});
    CHECK(usage.exit_code == 2);
    auto help = run_command({MW_MAILWARDEN_BIN, "--help"});
    CHECK(help.exit_code == 0);
    CHECK(help.output.find("milter-test") != std::string::npos);
}
