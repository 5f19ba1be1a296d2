// mailwarden-dkim under load and hostile input, end to end (real binary, unix socket, our milter
// client, keys from a loopback unbound): 32 parallel connections signing and verifying; a 25 MB
// body streamed in 65535-byte chunks, signed and verified with the daemon's peak memory (VmHWM)
// growing by less than 16 MB; malformed headers, an endless header block, bogus DKIM-Signature
// tags (and 40 of them), huge, oversized and garbage key records, duplicate From: fields. After
// each hostile message the daemon must still be running and sign the next message correctly.
#include <catch2/catch.hpp>

#include <fstream>
#include <latch>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include <fmt/format.h>

#include "common/base/limits.hpp"
#include "tests/daemon/dkim_daemon_fixture.hpp"

using namespace mw::milter;
using namespace mw::test::dkimd;
using namespace std::chrono_literals;

namespace {

constexpr int kConnections = 32;
constexpr int kRoundsPerConnection = 3;
constexpr std::size_t kBigBody = 25 * 1024 * 1024;
constexpr long kMaxGrowthKb = 16 * 1024;

// The daemon still runs and what it signs next verifies.
void serves_next(Dkimd& d) {
    INFO(d.daemon->log());
    REQUIRE(d.daemon->running());
    const auto results = verify(signed_message(d), key_record());
    REQUIRE(results.size() == 1);
    CHECK(results[0].status == mw::dkim::VerifyStatus::Pass);
}

// The one Authentication-Results value the daemon inserted ("" when none or several).
std::string auth_results(const TransactionResult& r) {
    const auto ar = edits(r, Response::Kind::InsertHeader, "Authentication-Results");
    return ar.size() == 1 ? ar[0]->value : std::string();
}

TransactionResult run(const Dkimd& d, const Transaction& t, const MailMessage& m) {
    auto r = run_transaction(d.where(), t, m);
    INFO(d.daemon->log());
    REQUIRE(r);
    return *r;
}

// Peak resident set of a process in kB (VmHWM in /proc/PID/status), -1 when unreadable.
long vm_hwm_kb(pid_t pid) {
    std::ifstream in(fmt::format("/proc/{}/status", pid));
    std::string line;
    while (std::getline(in, line))
        if (line.rfind("VmHWM:", 0) == 0) return std::stol(line.substr(6));
    return -1;
}

std::string message_text(const std::string& subject, const std::string& body) {
    return "From: Alice <alice@example.com>\nTo: bob@example.net\nSubject: " + subject +
           "\nMessage-ID: <" + subject + "@example.com>\n\n" + body;
}

// One connection's work: sign a message of its own, have the daemon verify it (pass) and a
// tampered copy (fail). Returns what went wrong, empty when all was right. Thread-safe.
std::string one_round(const Dkimd& d, int conn, int round) {
    const std::string tag = fmt::format("c{}r{}", conn, round);
    const auto m = MailMessage::parse(message_text(tag, "Body of " + tag + ".\n"));
    if (!m) return tag + ": parse";
    auto s = run_transaction(d.where(), outbound(), *m);
    if (!s || s->verdict != Verdict::Continue) return tag + ": sign transaction";
    if (edits(*s, Response::Kind::InsertHeader, "DKIM-Signature").size() != 1) return tag + ": not signed";
    MailMessage applied = *m;
    applied.apply(s->edits, false);
    const auto ours = verify(applied, key_record());
    if (ours.size() != 1 || ours[0].status != mw::dkim::VerifyStatus::Pass) return tag + ": our verifier";
    auto v = run_transaction(d.where(), inbound(), applied);
    if (!v || auth_results(*v).rfind("mx.example.net; dkim=pass header.d=example.com", 0) != 0)
        return tag + ": daemon did not pass it: " + (v ? auth_results(*v) : v.error().message);
    const auto tampered = MailMessage::parse(applied.to_string() + "tampered " + tag + "\n");
    if (!tampered) return tag + ": parse tampered";
    auto f = run_transaction(d.where(), inbound(), *tampered);
    if (!f || auth_results(*f).rfind("mx.example.net; dkim=fail", 0) != 0)
        return tag + ": daemon did not fail the tampered copy: " + (f ? auth_results(*f) : f.error().message);
    return {};
}

// Headers sent as given, through the client's own steps (MailMessage::parse would refuse them):
// names with blanks. (An empty name makes libmilter itself drop the connection; Postfix never
// sends one.) Returns the end-of-message reply and edits.
mw::Result<EomReply> raw_message(const Dkimd& d, const std::vector<std::pair<std::string, std::string>>& headers) {
    auto c = MilterClient::open(d.where());
    if (!c) return mw::fail(c.error());
    if (auto n = c->negotiate(); !n) return mw::fail(n.error());
    c->macros() = transaction_macros(inbound());
    const Transaction t = inbound();
    for (auto step : {c->connect(t.client), c->helo(t.helo), c->mail({"<" + t.from + ">"}),
                      c->rcpt({"<" + t.rcpts[0] + ">"}), c->data()})
        if (!step) return mw::fail(step.error());
    for (const auto& [name, value] : headers)
        if (auto h = c->header(name, value); !h) return mw::fail(h.error());
    if (auto e = c->eoh(); !e) return mw::fail(e.error());
    if (auto b = c->body("body\r\n"); !b) return mw::fail(b.error());
    auto eom = c->eom();
    if (eom) (void)c->quit();
    return eom;
}

}  // namespace

TEST_CASE("dkim robustness: 32 parallel connections sign and verify correctly", "[daemon][dkim]") {
    Dns dns;
    Dkimd d(dns.server.address());
    std::latch start(kConnections);
    std::mutex mu;
    std::vector<std::string> problems;
    std::vector<std::thread> threads;
    for (int c = 0; c < kConnections; ++c) {
        threads.emplace_back([&, c] {
            start.arrive_and_wait();   // all connections at once
            for (int round = 0; round < kRoundsPerConnection; ++round) {
                const std::string p = one_round(d, c, round);
                if (p.empty()) continue;
                const std::lock_guard<std::mutex> lock(mu);
                problems.push_back(p);
            }
        });
    }
    for (auto& t : threads) t.join();
    INFO(d.daemon->log());
    CHECK(problems.empty());
    for (const auto& p : problems) UNSCOPED_INFO(p);
    CHECK(d.daemon->running());
    serves_next(d);
}

TEST_CASE("dkim robustness: a 25 MB body is streamed, signed and verified in bounded memory", "[daemon][dkim]") {
    Dns dns;
    Dkimd d(dns.server.address());
    serves_next(d);   // warm up: threads, key, resolver
    const long before = vm_hwm_kb(d.daemon->pid());
    REQUIRE(before > 0);

    std::string body;
    body.reserve(kBigBody + 100);
    const std::string line = std::string(76, 'x') + "\n";
    for (int i = 0; body.size() < kBigBody; ++i) body += fmt::format("{:08} ", i) + line;
    const MailMessage big = message(message_text("big", body));
    body = std::string();
    REQUIRE(big.body().size() > kBigBody);

    const MailMessage applied = signed_message(d, big);
    const auto ours = verify(applied, key_record());
    REQUIRE(ours.size() == 1);
    CHECK(ours[0].status == mw::dkim::VerifyStatus::Pass);
    const auto v = run(d, inbound(), applied);
    CHECK(auth_results(v).rfind("mx.example.net; dkim=pass header.d=example.com", 0) == 0);

    const long after = vm_hwm_kb(d.daemon->pid());
    INFO("VmHWM before " << before << " kB, after " << after << " kB");
    CHECK(after - before < kMaxGrowthKb);
    serves_next(d);
}

TEST_CASE("dkim robustness: odd header values are signed or passed on, never fatal", "[daemon][dkim]") {
    Dns dns;
    Dkimd d(dns.server.address());
    SECTION("empty values and 8-bit junk are signed and verify") {
        const MailMessage m = message(
            "From: Alice <alice@example.com>\nTo: bob@example.net\nSubject:\nX-Empty:\n"
            "X-Junk: \xff\xfe\x80 caf\xc3\xa9 \x01\x7f\n\nbody\n");
        const auto ours = verify(signed_message(d, m), key_record());
        REQUIRE(ours.size() == 1);
        CHECK(ours[0].status == mw::dkim::VerifyStatus::Pass);
    }
    SECTION("a NUL byte inside a header value") {
        const std::string text = std::string("From: Alice <alice@example.com>\nTo: bob@example.net\nSubject: a") +
                                 '\0' + "b\n\nbody\n";
        const auto r = run(d, outbound(), message(text));
        CHECK(r.verdict == Verdict::Continue);
        const auto v = run(d, inbound(), message(text));
        CHECK(v.verdict == Verdict::Continue);
        CHECK(auth_results(v) == "mx.example.net; dkim=none");
    }
    serves_next(d);
}

TEST_CASE("dkim robustness: an endless header block is passed on unsigned, with the reason logged", "[daemon][dkim]") {
    Dns dns;
    Dkimd d(dns.server.address());
    std::string text = "From: Alice <alice@example.com>\nTo: bob@example.net\nSubject: many\n";
    for (std::size_t i = 0; i < 3 * mw::limits::kMaxDkimMessageHeaders; ++i) text += fmt::format("X-Filler: {}\n", i);
    // A forged result past the bound must still be removed.
    const MailMessage m = message(text + "Authentication-Results: mx.example.net; dkim=pass\n\nbody\n");
    const auto r = run(d, outbound(), m);
    INFO(d.daemon->log());
    CHECK(r.verdict == Verdict::Continue);
    CHECK(edits(r, Response::Kind::InsertHeader, "DKIM-Signature").empty());
    CHECK(d.daemon->wait_for_log("header block too large", 5s));
    const auto v = run(d, inbound(), m);
    CHECK(v.verdict == Verdict::Continue);
    CHECK(auth_results(v).empty());   // no DKIM at all beyond the bound, as for outbound
    const auto removed = edits(v, Response::Kind::ChangeHeader, "Authentication-Results");
    REQUIRE(removed.size() == 1);
    CHECK(removed[0]->index == 1);
    CHECK(removed[0]->value.empty());
    serves_next(d);
}

TEST_CASE("dkim robustness: DKIM-Signatures with bogus tags are permerror, the message continues", "[daemon][dkim]") {
    Dns dns;
    Dkimd d(dns.server.address());
    const std::string base = "v=1; a=rsa-sha256; d=example.com; s=mail; h=from; bh=AAAA; b=AAAA";
    const std::vector<std::string> bogus = {
        "v=1; a=rsa-sha256; d=example.com; s=mail; bogus; h=from; bh=!!!; b=@@@",
        base + "; v=1",                                          // duplicate tag
        base + "; l=99999999999999999999999",                    // l= overflows
        base + "; x=1",                                          // expired before t=
        "v=1; a=rsa-sha256; d=example.com; s=mail; bh=AAAA; b=AAAA; h=" + std::string(4000, 'x') + std::string(200, ':'),
        base + "; z=" + std::string(20000, 'z'),                 // over kMaxDkimTagList
        "v=1; a=rsa-sha256; d=; s=; h=; bh=; b=",
        "=;=;;;=",
    };
    for (const auto& sig : bogus) {
        const MailMessage m = message("DKIM-Signature: " + sig +
                                      "\nFrom: Alice <alice@example.com>\nTo: bob@example.net\nSubject: bogus\n\nbody\n");
        const auto v = run(d, inbound(), m);
        INFO(d.daemon->log());
        INFO("DKIM-Signature: " << sig.substr(0, 80));
        CHECK(v.verdict == Verdict::Continue);
        CHECK(auth_results(v).rfind("mx.example.net; dkim=permerror", 0) == 0);
    }
    serves_next(d);
}

TEST_CASE("dkim robustness: a huge key record still verifies, a garbage one is permerror", "[daemon][dkim]") {
    // n= (notes) pads the valid record to several KB: the answer needs TCP (or large EDNS).
    const std::string huge = key_record() + "; n=" + std::string(6000, 'n');
    Dns dns([&](mw::test::LoopbackDnsServer& s) {
        add_key_txt(s, "huge._domainkey.example.com.", huge);
        add_key_txt(s, "junk._domainkey.example.com.", "this is \x01 not a key record at all ===");
    });
    Dkimd huge_signer(dns.server.address(), "", "huge");
    const MailMessage by_huge = signed_message(huge_signer);
    Dkimd junk_signer(dns.server.address(), "", "junk");
    const MailMessage by_junk = signed_message(junk_signer);

    Dkimd d(dns.server.address());
    const auto pass = run(d, inbound(), by_huge);
    INFO(d.daemon->log());
    CHECK(auth_results(pass).rfind("mx.example.net; dkim=pass header.d=example.com header.s=huge", 0) == 0);
    const auto perm = run(d, inbound(), by_junk);
    CHECK(perm.verdict == Verdict::Continue);
    CHECK(auth_results(perm).rfind("mx.example.net; dkim=permerror", 0) == 0);
    serves_next(d);
}

TEST_CASE("dkim robustness: duplicate From: fields are not signed, the reason is logged", "[daemon][dkim]") {
    Dns dns;
    Dkimd d(dns.server.address());
    const MailMessage m = message(
        "From: Alice <alice@example.com>\nFrom: Mallory <mallory@example.com>\nTo: bob@example.net\n"
        "Subject: two authors\n\nbody\n");
    const auto r = run(d, outbound(), m);
    INFO(d.daemon->log());
    CHECK(r.verdict == Verdict::Continue);
    CHECK(edits(r, Response::Kind::InsertHeader, "DKIM-Signature").empty());
    CHECK(d.daemon->wait_for_log("message has 2 From: fields", 5s));
    serves_next(d);
}

TEST_CASE("dkim robustness: blank names and empty DKIM-Signature / A-R values from the MTA are survived", "[daemon][dkim]") {
    Dns dns;
    Dkimd d(dns.server.address());
    const std::vector<std::pair<std::string, std::string>> odd = {
        {"Bad Name", "x"}, {"X-Nul-Name", "a\x01b"}, {"DKIM-Signature", ""}, {"Authentication-Results", ""}};
    for (const auto& h : odd) {
        const auto r = raw_message(d, {h, {"From", "alice@example.com"}});
        INFO(d.daemon->log());
        INFO("header '" << h.first << "': " << (r ? std::string() : r.error().message));
        REQUIRE(r);
        CHECK(r->final.kind == Response::Kind::Continue);
    }
    serves_next(d);
}

TEST_CASE("dkim robustness: many signatures are bounded; a missing or oversized key is an error", "[daemon][dkim]") {
    // Over kMaxDkimTagList (and the DNS layer's kMaxTxtRecord): refused, never a crash.
    const std::string oversized = key_record() + "; n=" + std::string(mw::limits::kMaxDkimTagList, 'n');
    Dns dns([&](mw::test::LoopbackDnsServer& s) { add_key_txt(s, "big._domainkey.example.com.", oversized); });
    Dkimd d(dns.server.address());
    std::string sigs;
    for (int i = 0; i < 40; ++i)
        sigs += fmt::format("DKIM-Signature: v=1; a=rsa-sha256; d=example.com; s=s{}; h=from; bh=AAAA; b=AAAA\n", i);
    const auto many = run(d, inbound(), message(sigs + "From: alice@example.com\n\nbody\n"));
    INFO(d.daemon->log());
    CHECK(many.verdict == Verdict::Continue);
    const std::string ar = auth_results(many);
    std::size_t results = 0;
    for (auto at = ar.find("dkim="); at != std::string::npos; at = ar.find("dkim=", at + 1)) ++results;
    CHECK(results >= 1);
    CHECK(results <= mw::limits::kMaxDkimSignatures);

    Dkimd big_signer(dns.server.address(), "", "big");
    const auto big = run(d, inbound(), signed_message(big_signer));
    // The DNS layer drops TXT records over kMaxTxtRecord as malformed: the published key is
    // unusable, a permanent error (retrying would not help).
    CHECK(big.verdict == Verdict::Continue);
    CHECK(auth_results(big).rfind("mx.example.net; dkim=permerror", 0) == 0);
    CHECK(d.daemon->log().find("key record unusable") != std::string::npos);
    Dkimd missing_signer(dns.server.address(), "", "nokey");
    const auto missing = run(d, inbound(), signed_message(missing_signer));
    CHECK(auth_results(missing).rfind("mx.example.net; dkim=permerror", 0) == 0);
    serves_next(d);
}
