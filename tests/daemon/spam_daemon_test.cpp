// mailwarden-spam, the real binary on a unix socket, driven by our milter client as Postfix would:
// GTUBE flagged and (with reject_score) refused, a 20 MB message passed unscanned with the body
// skipped, MIME bombs (deep nesting, 10,000 parts, a huge base64 part) answered within bounded
// memory, malformed MIME, incoming X-Spam-* removed, and a reload with a broken rule file keeping
// the running rules. Rules come from a small .cf in the temp dir, so start-up is quick.
#include <catch2/catch.hpp>

#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fstream>
#include <memory>
#include <string>

#include "common/milter/milter_transaction.hpp"
#include "tests/support/daemon_process.hpp"
#include "tests/support/temp_dir.hpp"

using namespace mw::milter;
using namespace std::chrono_literals;

namespace {

const char* kGtube = "XJS*C4JDBQADN1.NSBN3*2IDNEN*GTUBE-STANDARD-ANTI-UBE-TEST-EMAIL*C.34X";

const std::string kRules =
    "body GTUBE /XJS\\*C4JDBQADN1\\.NSBN3\\*2IDNEN\\*GTUBE-STANDARD-ANTI-UBE-TEST-EMAIL\\*C\\.34X/\n"
    "score GTUBE 1000\n"
    "describe GTUBE Generic Test for Unsolicited Bulk Email\n"
    "body WATCHES /\\bcheap watches\\b/i\nscore WATCHES 2.5\n"
    "header SUBJ_FREE Subject =~ /\\bfree\\b/i\nscore SUBJ_FREE 1.0\n";

bool has(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

struct Spamd {
    mw::test::TempDir dir;
    std::string conf;
    std::unique_ptr<mw::test::DaemonProcess> daemon;

    explicit Spamd(const std::string& extra = "") {
        if (::geteuid() == 0) REQUIRE(::chmod(dir.path().c_str(), 0755) == 0);
        rules(kRules);
        write_conf(extra);
        daemon = std::make_unique<mw::test::DaemonProcess>(mw::test::DaemonProcess::Options{
            MW_SPAM_BIN, {"-f", "-c", conf}, dir.file("spam.sock"), false, dir.file("log")});
    }
    void rules(const std::string& text) const {
        auto p = dir.write("rules.cf", text);
        REQUIRE(::chmod(p.c_str(), 0644) == 0);
    }
    void write_conf(const std::string& extra) {
        const bool root = ::geteuid() == 0;
        conf = dir.write("spam.conf", "listen = unix:" + dir.file("spam.sock") +
                                          "\nlog_target = stderr\nlog_level = info\n" +
                                          (root ? "user = nobody\nsocket_owner = nobody:nogroup\n" : "") +
                                          "rules_dir = " + dir.file("rules.cf") + "\nsite_rules_dir =\n" +
                                          "authserv_id = mx.example.net\n" + extra);
    }
    mw::daemon::ListenSpec where() const { return *mw::daemon::ListenSpec::parse("unix:" + dir.file("spam.sock"), false); }

    TransactionResult run(const std::string& message_text) const {
        Transaction t;
        t.client = {"unknown", ConnectInfo::Family::Inet4, "192.0.2.7", 40000};
        t.helo = "sender.example";
        t.from = "alice@example.org";
        t.rcpts = {"bob@example.net"};
        auto m = MailMessage::parse(message_text);
        REQUIRE(m);
        auto r = run_transaction(where(), t, *m);
        INFO(daemon->log());
        REQUIRE(r);
        return *r;
    }

    /// The daemon's peak resident memory (VmHWM), in KiB.
    long peak_kib() const {
        std::ifstream in("/proc/" + std::to_string(daemon->pid()) + "/status");
        std::string key;
        long value = 0;
        while (in >> key) {
            if (key == "VmHWM:") {
                in >> value;
                return value;
            }
            in.ignore(4096, '\n');
        }
        return -1;
    }
};

const Response* edit(const TransactionResult& r, Response::Kind kind, const std::string& name) {
    for (const auto& e : r.edits)
        if (e.kind == kind && e.name == name) return &e;
    return nullptr;
}

std::string message(const std::string& headers, const std::string& body) {
    return "From: Alice <alice@example.org>\nTo: bob@example.net\n" + headers + "\n" + body;
}

}  // namespace

TEST_CASE("spam daemon: GTUBE is flagged with SpamAssassin's headers, ham is not", "[daemon][spam]") {
    Spamd d;
    auto spam = d.run(message("Subject: test\n", std::string("Hello\n") + kGtube + "\n"));
    INFO(d.daemon->log());
    CHECK(spam.verdict == Verdict::Continue);
    const Response* flag = edit(spam, Response::Kind::AddHeader, "X-Spam-Flag");
    REQUIRE(flag);
    CHECK(flag->value == "YES");
    const Response* status = edit(spam, Response::Kind::AddHeader, "X-Spam-Status");
    REQUIRE(status);
    CHECK(has(status->value, "Yes, score=1000.0 required=5.0 tests=GTUBE"));
    REQUIRE(d.daemon->wait_for_log("spam=yes score=1000.0 required=5.0 tests=GTUBE action=continue", 5s));

    auto ham = d.run(message("Subject: lunch\n", "See you at noon.\n"));
    CHECK_FALSE(edit(ham, Response::Kind::AddHeader, "X-Spam-Flag"));
    const Response* ham_status = edit(ham, Response::Kind::AddHeader, "X-Spam-Status");
    REQUIRE(ham_status);
    CHECK(has(ham_status->value, "No, score=0.0 required=5.0 tests=none"));
}

TEST_CASE("spam daemon: reject_score refuses GTUBE at end of data with 550 5.7.1", "[daemon][spam]") {
    Spamd d("reject_score = 20\n");
    auto r = d.run(message("Subject: test\n", std::string(kGtube) + "\n"));
    INFO(d.daemon->log());
    CHECK(r.verdict == Verdict::Reject);
    CHECK(has(r.reply, "550 5.7.1"));
    CHECK(d.daemon->wait_for_log("action=reject", 5s));
    // Below reject_score: delivered with headers.
    auto below = d.run(message("Subject: free cheap watches\n", "cheap watches\n"));
    CHECK(below.verdict == Verdict::Continue);
}

TEST_CASE("spam daemon: incoming X-Spam-* fields are removed", "[daemon][spam]") {
    Spamd d;
    auto r = d.run(message("Subject: x\nX-Spam-Flag: YES\nX-Spam-Status: Yes, score=99\n", "hi\n"));
    int deleted = 0;
    for (const auto& e : r.edits)
        if (e.kind == Response::Kind::ChangeHeader && e.value.empty() && has(e.name, "X-Spam-")) ++deleted;
    CHECK(deleted == 2);
}

TEST_CASE("spam daemon: a 20 MB message passes unscanned and the body is skipped", "[daemon][spam]") {
    Spamd d;
    std::string body;
    body.reserve(21 << 20);
    const std::string line(76, 'a');
    while (body.size() < (20u << 20)) body += line + "\n";
    auto r = d.run(message("Subject: big\n", body + kGtube + "\n"));
    INFO(d.daemon->log());
    CHECK(r.verdict == Verdict::Continue);
    CHECK(r.body_skipped);   // the milter asked the MTA to stop sending body chunks
    const Response* st = edit(r, Response::Kind::AddHeader, "X-Spam-Checker-Status");
    REQUIRE(st);
    CHECK(has(st->value, "not scanned"));
    CHECK_FALSE(edit(r, Response::Kind::AddHeader, "X-Spam-Flag"));
    CHECK(d.daemon->wait_for_log("spam=unscanned", 5s));
}

TEST_CASE("spam daemon: MIME bombs are answered within bounded memory", "[daemon][spam]") {
    Spamd d("max_message_size = 40000000\n");
    const long base = d.peak_kib();
    SECTION("nesting 5,000 deep") {
        std::string head, tail;
        for (int i = 0; i < 5000; ++i) {
            head += "--b" + std::to_string(i) + "\nContent-Type: multipart/mixed; boundary=b" + std::to_string(i + 1) + "\n\n";
            tail = "--b" + std::to_string(i) + "--\n" + tail;
        }
        auto r = d.run(message("MIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=b0\nSubject: deep\n",
                               head + "--b5000\nContent-Type: text/plain\n\n" + kGtube + "\n--b5000--\n" + tail));
        CHECK(r.verdict == Verdict::Continue);
        CHECK(edit(r, Response::Kind::AddHeader, "X-Spam-Status"));
    }
    SECTION("10,000 parts") {
        std::string parts;
        for (int i = 0; i < 10000; ++i) parts += "--B\nContent-Type: text/plain\n\npart " + std::to_string(i) + "\n";
        auto r = d.run(message("MIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=B\nSubject: many\n",
                               parts + "--B--\n"));
        CHECK(r.verdict == Verdict::Continue);
        const Response* st = edit(r, Response::Kind::AddHeader, "X-Spam-Checker-Status");
        REQUIRE(st);
        CHECK(has(st->value, "partly scanned"));
    }
    SECTION("a 30 MB base64 part") {
        std::string b64;
        const std::string line = std::string(76, 'Q') + "\n";
        while (b64.size() < (30u << 20)) b64 += line;
        auto r = d.run(message("MIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=B\nSubject: huge\n",
                               "--B\nContent-Type: text/plain\nContent-Transfer-Encoding: base64\n\n" + b64 + "--B--\n"));
        CHECK(r.verdict == Verdict::Continue);
        CHECK(edit(r, Response::Kind::AddHeader, "X-Spam-Status"));
    }
    // The message buffer (up to max_message_size) plus bounded analysis: well under 4x the input.
    const long peak = d.peak_kib();
    INFO("peak " << peak << " KiB, at start " << base << " KiB");
    CHECK(peak - base < 160 * 1024);
    CHECK(d.daemon->running());
}

TEST_CASE("spam daemon: malformed MIME still gets a verdict", "[daemon][spam]") {
    Spamd d;
    const std::string broken[] = {
        message("MIME-Version: 1.0\nContent-Type: multipart/mixed\nSubject: no boundary\n", "--x\n\ncheap watches\n"),
        message("MIME-Version: 1.0\nContent-Type: multipart/alternative; boundary=Q\nSubject: unclosed\n",
                "--Q\nContent-Type: text/html\n\n<html><b>cheap watches<i><p>\n"),
        message("Content-Type: text/plain; charset=no-such-charset\nContent-Transfer-Encoding: base64\nSubject: bad\n",
                "!!!not base64 at all@@@\n" + std::string(kGtube) + "\n"),
        message("Subject: =?utf-8?B?broken?==?x?q?=ZZ?=\n", std::string("\0\x01\xff\xfe binary\n", 16)),
    };
    for (const auto& m : broken) {
        auto r = d.run(m);
        CHECK(r.verdict == Verdict::Continue);
        CHECK(edit(r, Response::Kind::AddHeader, "X-Spam-Status"));
    }
    CHECK(d.daemon->running());
}

TEST_CASE("spam daemon: -t names a broken rule at FILE:LINE; a bad reload keeps the running rules",
          "[daemon][spam]") {
    Spamd d;
    d.rules(kRules + "body BROKEN_RULE /unclosed\n");
    auto t = mw::test::run_command({MW_SPAM_BIN, "-t", "-c", d.conf});
    CHECK(t.exit_code == 1);
    CHECK(has(t.output, d.dir.file("rules.cf") + ":8: "));
    d.daemon->send_signal(SIGUSR1);
    REQUIRE(d.daemon->wait_for_log("reload failed, keeping the running configuration", 10s));
    auto r = d.run(message("Subject: t\n", std::string(kGtube) + "\n"));
    CHECK(edit(r, Response::Kind::AddHeader, "X-Spam-Flag"));
    d.rules(kRules + "body NEW_RULE /lunch/\nscore NEW_RULE 6\n");
    d.daemon->send_signal(SIGUSR1);
    REQUIRE(d.daemon->wait_for_log("reloaded configuration", 10s));
    auto after = d.run(message("Subject: t\n", "lunch at noon\n"));
    CHECK(edit(after, Response::Kind::AddHeader, "X-Spam-Flag"));
}
