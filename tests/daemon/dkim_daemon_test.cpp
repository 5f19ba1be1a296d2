// mailwarden-dkim end to end: the real binary on a unix socket, driven by our MTA-side milter
// client (run_transaction), keys in a temp dir (mode 0600), the public key served by a loopback
// unbound. What it signs verifies with our verifier and with dkimpy; inbound signatures give
// dkim=pass; forged Authentication-Results are removed; a silent DNS server gives temperror.
#include <catch2/catch.hpp>

#include <signal.h>
#include <unistd.h>

#include <string>

#include "tests/daemon/dkim_daemon_fixture.hpp"
#include "tests/support/silent_dns_server.hpp"

using namespace mw::milter;
using namespace mw::test::dkimd;
using mw::test::TempDir;
using namespace std::chrono_literals;

namespace {

// dkimpy (Debian python3-dkim) as the second opinion, when installed.
const char* kDkimpy =
    "import sys, dkim\n"
    "rec = open(sys.argv[2], 'rb').read()\n"
    "ok = dkim.verify(open(sys.argv[1], 'rb').read(), dnsfunc=lambda name, timeout=5: rec)\n"
    "print('dkimpy: pass' if ok else 'dkimpy: fail')\n"
    "sys.exit(0 if ok else 1)\n";

}  // namespace

TEST_CASE("dkim daemon: signs as ORIGINATING; ours and dkimpy verify it", "[daemon][dkim]") {
    Dns dns;
    Dkimd d(dns.server.address());
    const MailMessage applied = signed_message(d);
    CHECK(applied.to_string().rfind("DKIM-Signature: v=1; a=rsa-sha256; c=relaxed/relaxed; d=example.com; s=mail;", 0) == 0);
    CHECK(d.daemon->wait_for_log("DKIM-Signature field added (s=mail, d=example.com)", 5s));
    CHECK(d.daemon->wait_for_log("dkim=signed d=example.com s=mail action=continue", 5s));

    const auto results = verify(applied, key_record());
    REQUIRE(results.size() == 1);
    CHECK(results[0].status == mw::dkim::VerifyStatus::Pass);

    if (::access("/usr/bin/python3", X_OK) == 0 &&
        mw::test::run_command({"/usr/bin/python3", "-c", "import dkim"}).exit_code == 0) {
        const auto eml = d.dir.write("signed.eml", crlf(applied.to_string()));
        const auto rec = d.dir.write("record.txt", key_record());
        const auto script = d.dir.write("verify.py", kDkimpy);
        const auto py = mw::test::run_command({"/usr/bin/python3", script, eml, rec});
        INFO(py.output);
        CHECK(py.exit_code == 0);
    } else {
        WARN("dkimpy (python3-dkim) not installed: only our verifier checked the signature");
    }

    // Changing the message after signing must fail our verifier (the check can fail).
    auto tampered = MailMessage::parse(crlf(applied.to_string()) + "P.S.\r\n");
    REQUIRE(tampered);
    CHECK(verify(*tampered, key_record())[0].status == mw::dkim::VerifyStatus::Fail);
}

TEST_CASE("dkim daemon: inbound pass, forged A-R removed, others kept", "[daemon][dkim]") {
    Dns dns;
    Dkimd d(dns.server.address());
    std::string text = signed_message(d).to_string();
    text = "Authentication-Results: mx.example.net; dkim=pass header.d=bank.example\n"
           "Authentication-Results: relay.example.org; spf=pass smtp.mailfrom=example.com\n" + text;
    auto r = run_transaction(d.where(), inbound(), message(text));
    REQUIRE(r);
    INFO(d.daemon->log());
    CHECK(r->verdict == Verdict::Continue);
    CHECK(edits(*r, Response::Kind::InsertHeader, "DKIM-Signature").empty());
    const auto ar = edits(*r, Response::Kind::InsertHeader, "Authentication-Results");
    REQUIRE(ar.size() == 1);
    CHECK(ar[0]->value.rfind("mx.example.net; dkim=pass header.d=example.com header.s=mail header.b=", 0) == 0);
    const auto changed = edits(*r, Response::Kind::ChangeHeader, "Authentication-Results");
    REQUIRE(changed.size() == 1);
    CHECK(changed[0]->index == 1);
    CHECK(changed[0]->value.empty());
    MailMessage applied = message(text);
    applied.apply(r->edits, false);
    const std::string out = applied.to_string();
    CHECK(out.find("bank.example") == std::string::npos);
    CHECK(out.find("Authentication-Results: relay.example.org; spf=pass") != std::string::npos);
    CHECK(d.daemon->wait_for_log("dkim=pass d=example.com s=mail action=continue", 5s));
}

TEST_CASE("dkim daemon: key records are cached at least a minute: verifies with the DNS server gone", "[daemon][dkim]") {
    // TTL 0: libunbound keeps nothing, so only our own key cache (floor 60 s) can answer later.
    Dns dns([](mw::test::LoopbackDnsServer& s) { add_key_txt(s, "zero._domainkey.example.com.", key_record(), 0); });
    Dkimd d(dns.server.address(), "", "zero");
    const MailMessage m = signed_message(d);
    auto first = run_transaction(d.where(), inbound(), m);
    REQUIRE(first);
    CHECK(edits(*first, Response::Kind::InsertHeader, "Authentication-Results")[0]->value.find("dkim=pass") !=
          std::string::npos);
    dns.server.stop();
    auto second = run_transaction(d.where(), inbound(), m);
    REQUIRE(second);
    INFO(d.daemon->log());
    CHECK(edits(*second, Response::Kind::InsertHeader, "Authentication-Results")[0]->value.find("dkim=pass") !=
          std::string::npos);
}

TEST_CASE("dkim daemon: a DNS timeout gives temperror and the message continues", "[daemon][dkim]") {
    std::string signed_text;
    {
        Dns dns;
        Dkimd signer(dns.server.address());
        signed_text = signed_message(signer).to_string();
    }
    mw::test::SilentDnsServer silent;
    Dkimd d(silent.address());
    auto r = run_transaction(d.where(), inbound(), message(signed_text));
    REQUIRE(r);
    INFO(d.daemon->log());
    CHECK(r->verdict == Verdict::Continue);
    const auto ar = edits(*r, Response::Kind::InsertHeader, "Authentication-Results");
    REQUIRE(ar.size() == 1);
    CHECK(ar[0]->value.rfind("mx.example.net; dkim=temperror", 0) == 0);
    CHECK(silent.queries() > 0);
    CHECK(d.daemon->wait_for_log("dkim=temperror d=example.com s=mail", 5s));
}

TEST_CASE("dkim daemon: on_fail rejects a listed domain's broken signature; dry_run only logs", "[daemon][dkim]") {
    Dns dns;
    Dkimd signer(dns.server.address());
    std::string broken = signed_message(signer).to_string();
    broken.replace(broken.find("Hello"), 5, "Howdy");
    const std::string actions = "action_domains = example.com\non_fail = reject\non_none = hold\n";
    Dkimd d(dns.server.address(), actions);
    auto r = run_transaction(d.where(), inbound(), message(broken));
    REQUIRE(r);
    INFO(d.daemon->log());
    CHECK(r->verdict == Verdict::Reject);
    CHECK(r->reply == "550 5.7.1 DKIM signature of mail from example.com did not verify");
    CHECK(d.daemon->wait_for_log("policy=fail policy_domain=example.com action=reject", 5s));
    // No signature at all from a listed domain: held (quarantine), and the A-R still added.
    auto unsigned_run = run_transaction(d.where(), inbound(), message());
    REQUIRE(unsigned_run);
    CHECK(unsigned_run->verdict == Verdict::Continue);
    CHECK(edits(*unsigned_run, Response::Kind::Quarantine, "").size() == 1);
    CHECK(edits(*unsigned_run, Response::Kind::InsertHeader, "Authentication-Results").size() == 1);

    Dkimd dry(dns.server.address(), actions + "dry_run = yes\n");
    auto dr = run_transaction(dry.where(), inbound(), message(broken));
    REQUIRE(dr);
    INFO(dry.daemon->log());
    CHECK(dr->verdict == Verdict::Continue);
    CHECK(dry.daemon->wait_for_log("policy=fail policy_domain=example.com dry_run=reject action=continue", 5s));
}

TEST_CASE("dkim daemon: -t reports FILE:LINE", "[daemon][dkim]") {
    TempDir dir;
    const std::string key = dir.write("k.pem", mw::dkim::test::kRsa2048Pem);
    REQUIRE(::chmod(key.c_str(), 0600) == 0);
    const std::string kt = dir.write("key_table", "# keys\nk1 example.com:mail:" + key + "\nbroken line\n");
    const std::string st = dir.write("signing_table", "*@example.com k1\n");
    const std::string conf = dir.write("bad.conf", "key_table = " + kt + "\nsigning_table = " + st + "\n");
    auto bad = mw::test::run_command({MW_DKIM_BIN, "-t", "-c", conf});
    CHECK(bad.exit_code == 1);
    CHECK(bad.output.find(kt + ":3: ") != std::string::npos);

    const std::string good_kt = dir.write("key_table2", "k1 example.com:mail:" + key + "\n");
    const std::string good = dir.write("good.conf", "key_table = " + good_kt + "\nsigning_table = " + st + "\n");
    auto ok = mw::test::run_command({MW_DKIM_BIN, "-t", "-c", good});
    INFO(ok.output);
    CHECK(ok.exit_code == 0);

    REQUIRE(::chmod(key.c_str(), 0644) == 0);   // require_safe_keys refuses it
    auto unsafe = mw::test::run_command({MW_DKIM_BIN, "-t", "-c", good});
    CHECK(unsafe.exit_code == 1);
    CHECK(unsafe.output.find(key) != std::string::npos);

    const std::string half = dir.write("half.conf", "x = 1\ndomain = example.com\n");
    auto unknown = mw::test::run_command({MW_DKIM_BIN, "-t", "-c", half});
    CHECK(unknown.exit_code == 1);
    CHECK(unknown.output.find(half + ":1: ") != std::string::npos);
}

TEST_CASE("dkim daemon: SIGUSR1 reloads settings and keys; a bad reload keeps the old ones", "[daemon][dkim]") {
    Dns dns;
    Dkimd d(dns.server.address());
    auto signs = [&](const std::string& daemon_name) {
        auto r = run_transaction(d.where(), outbound(daemon_name), message());
        REQUIRE(r);
        return edits(*r, Response::Kind::InsertHeader, "DKIM-Signature").size() == 1;
    };
    CHECK(signs("ORIGINATING"));
    CHECK_FALSE(signs("SUBMISSION"));
    d.dir.write("dkim.conf", config_text(d.dir, dns.server.address(), d.key) + "originating_daemon_name = SUBMISSION\n");
    d.daemon->send_signal(SIGUSR1);
    INFO(d.daemon->log());
    REQUIRE(d.daemon->wait_for_log("reloaded configuration", 5s));
    CHECK(signs("SUBMISSION"));   // the key was read again after the privilege drop
    CHECK_FALSE(signs("ORIGINATING"));

    d.dir.write("dkim.conf", config_text(d.dir, dns.server.address(), d.dir.file("missing.pem")));
    d.daemon->send_signal(SIGUSR1);
    REQUIRE(d.daemon->wait_for_log("reload failed, keeping the running configuration", 5s));
    CHECK(signs("SUBMISSION"));
}
