// mailwarden-dnsbl end to end: the real binary on a unix socket, driven by our MTA-side milter
// client, the lists served by a loopback unbound (dnsbl_daemon_fixture.hpp). Replies are checked
// against Postfix's exact default_rbl_reply text, and every message's one decision line in the
// daemon's log. Timeouts come from unbound's "deny" zone (drops queries) and the silent server.
#include <catch2/catch.hpp>

#include <signal.h>

#include <atomic>
#include <chrono>
#include <string>
#include <thread>
#include <vector>

#include "common/milter/milter_client.hpp"
#include "tests/daemon/dnsbl_daemon_fixture.hpp"
#include "tests/support/silent_dns_server.hpp"

using namespace mw::milter;
using namespace mw::test::dnsbld;
using mw::test::TempDir;
using namespace std::chrono_literals;

namespace {

// One connection held open, as a long SMTP session: several messages, each MAIL, one RCPT, RSET.
struct OpenSession {
    MilterClient client;

    OpenSession(const Dnsbld& d, const std::string& ip) : client(open(d)) {
        const Transaction t = from_client(ip);
        client.macros() = transaction_macros(t);
        REQUIRE(client.negotiate());
        REQUIRE(client.connect(t.client));
        REQUIRE(client.helo(t.helo));
    }
    static MilterClient open(const Dnsbld& d) {
        auto c = MilterClient::open(d.where());
        REQUIRE(c);
        return std::move(*c);
    }
    /// MAIL FROM, RCPT TO, then abort (RSET): the RCPT reply.
    StepReply message(const std::string& from, const std::string& rcpt = "bob@example.net") {
        client.macros().set("mail_addr", from);
        REQUIRE(client.mail({"<" + from + ">"}));
        client.macros().set("rcpt_addr", rcpt);
        auto r = client.rcpt({"<" + rcpt + ">"});
        REQUIRE(r);
        REQUIRE(client.abort());
        return *r;
    }
};

bool has(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

const std::string kZenReply =
    std::string("554 5.7.1 Service unavailable; Client host [192.0.2.99] blocked using zen.test; ") + kZenReason;

}  // namespace

TEST_CASE("dnsbl daemon: a listed client is refused at RCPT with Postfix's text", "[daemon][dnsbl]") {
    Lists lists;
    Dnsbld d(lists.server.address(), kSites);
    const auto r = run(d, from_client(kListed));
    INFO(d.daemon->log());
    CHECK(r.verdict == Verdict::Reject);
    CHECK(r.stage == "rcpt");
    REQUIRE(r.rcpts.size() == 1);
    CHECK(r.rcpts[0].reply == kZenReply);
    const auto lines = decisions(d, kListed);
    REQUIRE(lines.size() == 1);
    for (const char* part : {"dnsbl=blocked", "helo=mail.example.org", "from=alice@example.org",
                             "to=bob@example.net", "score=3", "listed=zen.test", "action=reject"})
        CHECK(has(lines[0], part));

    const auto clean = run(d, from_client(kClean));
    CHECK(clean.verdict == Verdict::Continue);
    const auto clean_lines = decisions(d, kClean);
    REQUIRE(clean_lines.size() == 1);
    CHECK(has(clean_lines[0], "dnsbl=pass"));
    CHECK(has(clean_lines[0], "score=0"));
    CHECK(has(clean_lines[0], "action=continue"));
}

TEST_CASE("dnsbl daemon: a DNSWL listing (negative weight) lets a client pass", "[daemon][dnsbl]") {
    Lists lists;
    Dnsbld d(lists.server.address(), kSites);
    const auto r = run(d, from_client(kAllowed));
    INFO(d.daemon->log());
    CHECK(r.verdict == Verdict::Continue);
    const auto lines = decisions(d, kAllowed);
    REQUIRE(lines.size() == 1);
    CHECK(has(lines[0], "dnsbl=pass"));
    CHECK(has(lines[0], "score=1"));
    CHECK(has(lines[0], "listed=zen.test,wl.test"));
    CHECK(has(lines[0], "action=continue"));
}

TEST_CASE("dnsbl daemon: 127.255.255.254 is logged as an error, never a listing", "[daemon][dnsbl]") {
    Lists lists;
    Dnsbld d(lists.server.address(), kSites);
    const auto r = run(d, from_client(kRefused));
    INFO(d.daemon->log());
    CHECK(r.verdict == Verdict::Continue);
    CHECK(d.daemon->wait_for_log("refused.test lookup for 192.0.2.97 failed: answer 127.255.255.254: query refused", 5s));
    const auto lines = decisions(d, kRefused);
    REQUIRE(lines.size() == 1);
    CHECK(has(lines[0], "dnsbl=pass"));
    CHECK(has(lines[0], "failed=refused.test"));
    CHECK_FALSE(has(lines[0], "listed=refused.test"));

    // As the only list, the error answer makes every list fail: tempfail, not a reject.
    Dnsbld only(lists.server.address(), "dnsbl_sites = refused.test\ndns_failure_action = tempfail\n");
    const auto t = run(only, from_client(kRefused));
    INFO(only.daemon->log());
    CHECK(t.verdict == Verdict::Tempfail);
    CHECK(t.reply == "451 4.7.1 DNS lists unavailable, try again later");
}

TEST_CASE("dnsbl daemon: a list that times out counts as not listed; dns_failure_action", "[daemon][dnsbl]") {
    Lists lists;
    SECTION("one slow list among others: the others still decide, within the deadline") {
        Dnsbld d(lists.server.address(), "dnsbl_sites = zen.test=127.0.0.[2..11]*3, slow.test\n");
        const auto start = std::chrono::steady_clock::now();
        const auto r = run(d, from_client(kListed));
        INFO(d.daemon->log());
        CHECK(std::chrono::steady_clock::now() - start < 4s);
        CHECK(r.verdict == Verdict::Reject);
        REQUIRE(r.rcpts.size() == 1);
        CHECK(r.rcpts[0].reply == kZenReply);
        CHECK(d.daemon->wait_for_log("slow.test lookup for 192.0.2.99 failed", 5s));
        const auto clean = run(d, from_client(kClean));
        CHECK(clean.verdict == Verdict::Continue);
        const auto lines = decisions(d, kClean);
        REQUIRE(lines.size() == 1);
        CHECK(has(lines[0], "dnsbl=pass"));
        CHECK(has(lines[0], "failed=slow.test"));
    }
    SECTION("every list timed out: accept by default") {
        Dnsbld d(lists.server.address(), "dnsbl_sites = slow.test\n");
        const auto r = run(d, from_client(kListed));
        INFO(d.daemon->log());
        CHECK(r.verdict == Verdict::Continue);
        const auto lines = decisions(d, kListed);
        REQUIRE(lines.size() == 1);
        CHECK(has(lines[0], "failed=slow.test"));
        CHECK(has(lines[0], "action=continue"));
    }
    SECTION("every list timed out, dns_failure_action = tempfail: 451") {
        Dnsbld d(lists.server.address(), "dnsbl_sites = slow.test\ndns_failure_action = tempfail\n");
        const auto r = run(d, from_client(kListed));
        INFO(d.daemon->log());
        CHECK(r.verdict == Verdict::Tempfail);
        CHECK(r.reply == "451 4.7.1 DNS lists unavailable, try again later");
        const auto lines = decisions(d, kListed);
        REQUIRE(lines.size() == 1);
        CHECK(has(lines[0], "dnsbl=error"));
        CHECK(has(lines[0], "action=tempfail"));
    }
    SECTION("a silent DNS server: every list times out, tempfail") {
        mw::test::SilentDnsServer silent;
        Dnsbld d(silent.address(), kSites + "dns_failure_action = tempfail\n");
        const auto start = std::chrono::steady_clock::now();
        const auto r = run(d, from_client(kListed));
        INFO(d.daemon->log());
        CHECK(std::chrono::steady_clock::now() - start < 4s);
        CHECK(r.verdict == Verdict::Tempfail);
        CHECK(silent.queries() > 0);
        const auto lines = decisions(d, kListed);
        REQUIRE(lines.size() == 1);
        CHECK(has(lines[0], "failed=zen.test,wl.test,refused.test"));
    }
}

TEST_CASE("dnsbl daemon: postmaster@ and abuse@ are accepted even from a listed client", "[daemon][dnsbl]") {
    Lists lists;
    Dnsbld d(lists.server.address(), kSites);
    const auto r = run(d, from_client(kListed, "alice@example.org", {"postmaster@example.net", "bob@example.net"}));
    INFO(d.daemon->log());
    CHECK(r.verdict == Verdict::Continue);   // one recipient left: the message goes on
    REQUIRE(r.rcpts.size() == 2);
    CHECK(r.rcpts[0].verdict == Verdict::Continue);
    CHECK(r.rcpts[1].verdict == Verdict::Reject);
    CHECK(r.rcpts[1].reply == kZenReply);

    const auto only = run(d, from_client(kListed, "alice@example.org", {"Abuse@Example.NET"}));
    CHECK(only.verdict == Verdict::Continue);
    REQUIRE(only.rcpts.size() == 1);
    CHECK(only.rcpts[0].verdict == Verdict::Continue);
    // One decision line per message: the refused recipient's, then the abuse@ message's.
    const auto lines = decisions(d, kListed);
    REQUIRE(lines.size() == 2);
    CHECK(has(lines[0], "to=bob@example.net"));
    CHECK(has(lines[0], "action=reject"));
    CHECK(has(lines[1], "action=continue"));
}

TEST_CASE("dnsbl daemon: sender_access refuses with its text; edits apply on an open connection", "[daemon][dnsbl]") {
    Lists lists;
    const std::string first = "# sender blocklist\nspammer@example.com REJECT Go away\nbad.example 550 5.7.0 Bad domain\n";
    Dnsbld d(lists.server.address(), kSites + "sender_access = {dir}/sender_blocklist\n", {{"sender_blocklist", first}});
    INFO(d.daemon->log());
    const auto r = run(d, from_client(kClean, "spammer@example.com"));
    CHECK(r.verdict == Verdict::Reject);
    REQUIRE(r.rcpts.size() == 1);
    CHECK(r.rcpts[0].reply == "554 5.7.1 <spammer@example.com>: Sender address rejected: Go away");
    // A bare domain also matches its subdomains (parent_domain_matches_subdomains, Postfix 3.7).
    const auto sub = run(d, from_client(kClean, "x@mx.bad.example"));
    REQUIRE(sub.rcpts.size() == 1);
    CHECK(sub.rcpts[0].reply == "550 5.7.0 <x@mx.bad.example>: Sender address rejected: Bad domain");
    const auto lines = decisions(d, kClean);
    REQUIRE(lines.size() == 2);
    CHECK(has(lines[0], "dnsbl=sender_access"));
    CHECK(has(lines[0], "table=" + d.dir.file("sender_blocklist") + ":2"));
    CHECK(has(lines[0], "action=reject"));

    // An open connection: the table is edited between two of its messages.
    OpenSession open(d, kClean);
    CHECK(open.message("carol@other.example").verdict() == Verdict::Continue);
    d.table("sender_blocklist", first + "other.example REJECT No more mail from other.example\n");
    std::this_thread::sleep_for(20ms);   // table_check_interval = 0s: any later step re-reads it
    const auto edited = open.message("carol@other.example");
    CHECK(edited.verdict() == Verdict::Reject);
    CHECK(edited.response.text == "554 5.7.1 <carol@other.example>: Sender address rejected: No more mail from other.example");

    // A bad edit: logged at FILE:LINE, the old table stays in force.
    d.table("sender_blocklist", first + "other.example REJECT No more mail from other.example\nworse.example FROBNICATE\n");
    CHECK(run(d, from_client(kClean, "carol@other.example")).verdict == Verdict::Reject);
    CHECK(d.daemon->wait_for_log("sender_access reload failed, keeping the old table: " + d.dir.file("sender_blocklist") + ":5: ", 5s));
    CHECK(open.message("dave@worse.example").verdict() == Verdict::Continue);
    CHECK(open.message("carol@other.example").verdict() == Verdict::Reject);
    REQUIRE(open.client.quit());
}

TEST_CASE("dnsbl daemon: client_access cidr table", "[daemon][dnsbl]") {
    Lists lists;
    const std::string cidr = "# clients\n192.0.2.99/32 OK\n192.0.2.0/30 554 5.7.1 Your network is blocked\n";
    Dnsbld d(lists.server.address(), kSites + "client_access = {dir}/clients.cidr\n", {{"clients.cidr", cidr}});
    INFO(d.daemon->log());
    // OK ends every check: the listed client passes.
    CHECK(run(d, from_client(kListed)).verdict == Verdict::Continue);
    const auto listed = decisions(d, kListed);
    REQUIRE(listed.size() == 1);
    CHECK(has(listed[0], "dnsbl=client_access_ok"));
    const auto r = run(d, from_client(kClean));
    CHECK(r.verdict == Verdict::Reject);
    CHECK(r.reply == "554 5.7.1 <unknown[192.0.2.1]>: Client host rejected: Your network is blocked");
    const auto clean = decisions(d, kClean);
    REQUIRE(clean.size() == 1);
    CHECK(has(clean[0], "table=" + d.dir.file("clients.cidr") + ":3"));
    CHECK(run(d, from_client("192.0.2.5")).verdict == Verdict::Continue);   // outside both entries
}

TEST_CASE("dnsbl daemon: score_only adds the header and refuses nothing", "[daemon][dnsbl]") {
    Lists lists;
    Dnsbld d(lists.server.address(), kSites + "score_only = yes\n");
    const auto r = run(d, from_client(kListed));
    INFO(d.daemon->log());
    CHECK(r.verdict == Verdict::Continue);
    std::vector<std::string> headers;
    for (const auto& e : r.edits)
        if ((e.kind == Response::Kind::AddHeader || e.kind == Response::Kind::InsertHeader) &&
            e.name == "X-Mailwarden-DNSBL")
            headers.push_back(e.value);
    REQUIRE(headers.size() == 1);
    CHECK(has(headers[0], "score=3"));
    CHECK(has(headers[0], "zen.test=127.0.0.4*3"));
    const auto lines = decisions(d, kListed);
    REQUIRE(lines.size() == 1);
    CHECK(has(lines[0], "dnsbl=blocked"));
    CHECK(has(lines[0], "action=continue"));
}

TEST_CASE("dnsbl daemon: dry_run logs dry_run=reject and accepts", "[daemon][dnsbl]") {
    Lists lists;
    Dnsbld d(lists.server.address(), kSites + "dry_run = yes\n");
    const auto r = run(d, from_client(kListed));
    INFO(d.daemon->log());
    CHECK(r.verdict == Verdict::Continue);
    const auto lines = decisions(d, kListed);
    REQUIRE(lines.size() == 1);
    CHECK(has(lines[0], "dnsbl=blocked"));
    CHECK(has(lines[0], "dry_run=reject action=continue"));
}

TEST_CASE("dnsbl daemon: the DQS key is never in a reply or the log", "[daemon][dnsbl]") {
    Lists lists;
    Dnsbld d(lists.server.address(), std::string("dnsbl_sites = $dqs_key.dq.test*2\ndqs_key = ") + kDqsKey + "\n");
    const auto r = run(d, from_client(kListed));
    const std::string log = d.daemon->log();
    INFO(log);
    CHECK(r.verdict == Verdict::Reject);
    REQUIRE(r.rcpts.size() == 1);
    CHECK(has(r.rcpts[0].reply, "blocked using $dqs_key.dq.test"));
    CHECK_FALSE(has(r.rcpts[0].reply, kDqsKey));
    CHECK(decisions(d, kListed).size() == 1);
    CHECK_FALSE(has(log, kDqsKey));
}

TEST_CASE("dnsbl daemon: SIGUSR1 reloads; a bad reload keeps the running configuration", "[daemon][dnsbl]") {
    Lists lists;
    Dnsbld d(lists.server.address(), kSites);
    INFO(d.daemon->log());
    CHECK(run(d, from_client(kListed)).verdict == Verdict::Reject);
    d.rewrite(kSites + "dry_run = yes\n");
    d.daemon->send_signal(SIGUSR1);
    REQUIRE(d.daemon->wait_for_log("reloaded configuration", 5s));
    CHECK(run(d, from_client(kListed)).verdict == Verdict::Continue);
    CHECK(d.daemon->wait_for_log("dry_run=reject action=continue", 5s));

    d.rewrite("dnsbl_sites = zen.test=127.0.0.[2..300]\n");
    d.daemon->send_signal(SIGUSR1);
    REQUIRE(d.daemon->wait_for_log("reload failed, keeping the running configuration", 5s));
    CHECK(run(d, from_client(kListed)).verdict == Verdict::Continue);   // still dry_run
    CHECK(decisions(d, kListed).size() == 3);
}

TEST_CASE("dnsbl daemon: -t reports FILE:LINE", "[daemon][dnsbl]") {
    TempDir dir;
    const std::string bad_sites = dir.write("sites.conf", "dnsbl_threshold = 2\ndnsbl_sites = zen.test=127.0.0.[2..300]*3\n");
    auto sites = mw::test::run_command({MW_DNSBL_BIN, "-t", "-c", bad_sites});
    INFO(sites.output);
    CHECK(sites.exit_code == 1);
    CHECK(has(sites.output, bad_sites + ":2: "));

    const std::string table = dir.write("senders", "# blocklist\nspammer@example.com REJECT\nbad.example FROBNICATE\n");
    const std::string bad_table = dir.write("table.conf", "sender_access = " + table + "\n");
    auto t = mw::test::run_command({MW_DNSBL_BIN, "-t", "-c", bad_table});
    INFO(t.output);
    CHECK(t.exit_code == 1);
    CHECK(has(t.output, table + ":3: "));

    const std::string cidr = dir.write("clients", "192.0.2.0/33 REJECT\n");
    const std::string bad_cidr = dir.write("cidr.conf", "client_access = " + cidr + "\n");
    auto c = mw::test::run_command({MW_DNSBL_BIN, "-t", "-c", bad_cidr});
    INFO(c.output);
    CHECK(c.exit_code == 1);
    CHECK(has(c.output, cidr + ":1: "));

    dir.write("senders", "spammer@example.com REJECT\n");
    auto ok = mw::test::run_command({MW_DNSBL_BIN, "-t", "-c", bad_table});
    INFO(ok.output);
    CHECK(ok.exit_code == 0);
}

TEST_CASE("dnsbl daemon: 64 parallel connections are all answered correctly", "[daemon][dnsbl]") {
    Lists lists;
    Dnsbld d(lists.server.address(), kSites);
    constexpr int kConnections = 64;
    const char* ips[] = {kListed, kAllowed, kClean, kRefused};
    std::vector<Verdict> got(kConnections, Verdict::Discard);
    std::vector<std::string> replies(kConnections);
    std::atomic<int> errors{0};
    std::vector<std::thread> threads;
    for (int i = 0; i < kConnections; ++i)
        threads.emplace_back([&, i] {
            auto r = run_transaction(d.where(), from_client(ips[i % 4]), message());
            if (!r) {
                ++errors;
                return;
            }
            got[i] = r->verdict;
            replies[i] = r->rcpts.empty() ? "" : r->rcpts[0].reply;
        });
    for (auto& t : threads) t.join();
    INFO(d.daemon->log());
    CHECK(errors == 0);
    for (int i = 0; i < kConnections; ++i) {
        INFO("connection " << i << " from " << ips[i % 4]);
        if (i % 4 == 0) {
            CHECK(got[i] == Verdict::Reject);
            CHECK(replies[i] == kZenReply);
        } else {
            CHECK(got[i] == Verdict::Continue);
        }
    }
    for (const char* ip : ips) CHECK(decisions(d, ip).size() == kConnections / 4);
}
