// DkimSession driven directly (no libmilter): the sign/verify decision, the keys chosen by the
// From: address, the Authentication-Results text, forged A-R removal and DNS temperror, with
// DNS answers from a FakeResolver.
#include <catch2/catch.hpp>

#include <sys/stat.h>

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "common/base/limits.hpp"
#include "milters/dkim/auth_results_claim.hpp"
#include "milters/dkim/base64.hpp"
#include "milters/dkim/dkim_session.hpp"
#include "tests/support/fake_resolver.hpp"
#include "tests/support/temp_dir.hpp"
#include "tests/unit/milters/dkim/test_keys.hpp"

using namespace mw;
using namespace mw::dkim;
using milter::HeaderEdit;
using milter::Macros;

namespace {

constexpr std::uint64_t kNow = 1'700'000'000;
constexpr const char* kKeyName = "mail._domainkey.example.com";

using Headers = std::vector<std::pair<std::string, std::string>>;

const Headers kHeaders = {{"From", "Alice <alice@example.com>"},
                          {"To", "bob@example.net"},
                          {"Subject", "hello"},
                          {"Message-ID", "<1@example.com>"}};
const std::string kBody = "Hello Bob.\r\nBye.\r\n";

PrivateKey rsa_key() { return *PrivateKey::from_pem(dkim::test::kRsa2048Pem); }

std::string key_record() { return "v=DKIM1; k=rsa; p=" + base64_encode(rsa_key().public_key_bytes()); }

struct Env {
    std::shared_ptr<mw::test::FakeResolver> dns = std::make_shared<mw::test::FakeResolver>();
    std::shared_ptr<DkimSnapshot> snap = std::make_shared<DkimSnapshot>();

    Env() {
        snap->settings.authserv_id = "mx.example.net";
        snap->settings.internal_hosts = *net::CidrSet::parse("127.0.0.0/8, ::1");
        snap->settings.shortcut_domains = {"example.com"};
        snap->settings.shortcut_key = SigningKey{"", "mail", rsa_key()};
        snap->resolver = dns;
        snap->now = [] { return kNow; };
        dns->add_txt(kKeyName, key_record());
    }
};

struct Run {
    milter::Reply reply;
    milter::MessageEdits edits;

    const HeaderEdit* find(HeaderEdit::Op op, const std::string& name) const {
        for (const auto& e : edits.headers)
            if (e.op == op && e.name == name) return &e;
        return nullptr;
    }
    int count(HeaderEdit::Op op, const std::string& name) const {
        int n = 0;
        for (const auto& e : edits.headers) n += e.op == op && e.name == name;
        return n;
    }
};

struct Client {
    std::string address = "192.0.2.7";
    Macros macros;   // connect + MAIL stage values
};

Run run(const Env& env, const Client& client, const Headers& headers, const std::string& body = kBody) {
    DkimSession s(env.snap);
    milter::ConnectInfo info{"client.example", milter::ConnectInfo::Family::Inet4, client.address, 40000};
    REQUIRE(s.on_connect(info, client.macros).kind == milter::Reply::Kind::Continue);
    s.on_mail({"<alice@example.com>"}, client.macros);
    for (const auto& [name, value] : headers) s.on_header(name, value);
    Macros eoh = client.macros;
    eoh.set("i", "4ABC123");
    s.on_eoh(eoh);
    s.on_body(body.substr(0, 5));
    s.on_body(body.substr(5));
    Run r;
    r.reply = s.on_eom(r.edits, eoh);
    return r;
}

Client originating() {
    Client c;
    c.macros.set("daemon_name", "ORIGINATING");
    return c;
}

// The message as the MTA would pass it on: the inserted fields on top, "\n" folds kept.
Headers with_inserted(const Run& signed_run, Headers headers) {
    Headers out;
    for (const auto& e : signed_run.edits.headers)
        if (e.op == HeaderEdit::Op::Insert) out.emplace_back(e.name, e.value);
    out.insert(out.end(), headers.begin(), headers.end());
    return out;
}

}  // namespace

TEST_CASE("DkimSession: outbound decision", "[dkim][session]") {
    Env env;
    SECTION("{daemon_name} = originating_daemon_name signs") {
        const auto r = run(env, originating(), kHeaders);
        const auto* sig = r.find(HeaderEdit::Op::Insert, "DKIM-Signature");
        REQUIRE(sig);
        CHECK(sig->index == 0);
        CHECK(sig->value.find("d=example.com") != std::string::npos);
        CHECK(sig->value.find("s=mail") != std::string::npos);
        CHECK(sig->value.find("t=1700000000") != std::string::npos);
        CHECK(r.find(HeaderEdit::Op::Insert, "Authentication-Results") == nullptr);
        CHECK(r.reply.kind == milter::Reply::Kind::Continue);
    }
    SECTION("an authenticated client signs") {
        Client c;
        c.macros.set("auth_authen", "alice");
        CHECK(run(env, c, kHeaders).find(HeaderEdit::Op::Insert, "DKIM-Signature"));
    }
    SECTION("a client in internal_hosts signs") {
        Client c;
        c.address = "127.0.0.1";
        CHECK(run(env, c, kHeaders).find(HeaderEdit::Op::Insert, "DKIM-Signature"));
    }
    SECTION("another daemon_name from outside is verified, not signed") {
        Client c;
        c.macros.set("daemon_name", "smtpd");
        const auto r = run(env, c, kHeaders);
        CHECK_FALSE(r.find(HeaderEdit::Op::Insert, "DKIM-Signature"));
        const auto* ar = r.find(HeaderEdit::Op::Insert, "Authentication-Results");
        REQUIRE(ar);
        CHECK(ar->value == "mx.example.net; dkim=none");
    }
    SECTION("a From: domain without a key is not signed") {
        const auto r = run(env, originating(), {{"From", "user@example.org"}, {"Subject", "x"}});
        CHECK(r.edits.empty());
    }
    SECTION("two From: fields are not signed") {
        const auto r = run(env, originating(), {{"From", "a@example.com"}, {"From", "b@example.com"}});
        CHECK(r.edits.empty());
    }
    SECTION("originating_daemon_name is configurable") {
        env.snap->settings.originating_daemon_name = "submission";
        CHECK_FALSE(run(env, originating(), kHeaders).find(HeaderEdit::Op::Insert, "DKIM-Signature"));
    }
}

TEST_CASE("DkimSession: a signing table picks keys by the From: address", "[dkim][session]") {
    mw::test::TempDir dir;
    const std::string rsa = dir.write("rsa.pem", dkim::test::kRsa2048Pem);
    const std::string ed = dir.write("ed.pem", dkim::test::kEd25519Pem);
    REQUIRE(::chmod(rsa.c_str(), 0600) == 0);
    REQUIRE(::chmod(ed.c_str(), 0600) == 0);
    const auto keys = KeyTable::parse("k1 example.org:sel1:" + rsa + "\nk2 example.org:sel2:" + ed +
                                          "\nk3 sub.example.org:sel3:" + rsa + "\n", "kt");
    REQUIRE(keys);
    const auto table = SigningTable::parse("*@example.org k1\n*@example.org k2\n*@.example.org k3\n", "st");
    REQUIRE(table);
    auto store = KeyStore::load(*keys, {});
    REQUIRE(store);
    Env env;
    env.snap->settings.shortcut_key.reset();
    env.snap->settings.signing_table = *table;
    env.snap->settings.key_store = std::move(*store);

    CHECK(env.snap->settings.keys_for("a@EXAMPLE.org").size() == 2);
    CHECK(env.snap->settings.keys_for("a@sub.example.org").size() == 1);
    CHECK(env.snap->settings.keys_for("a@example.com").empty());
    // Dual signing (RSA + Ed25519), in table order on top of the message.
    const auto r = run(env, originating(), {{"From", "A <a@Example.org>"}, {"Subject", "x"}});
    REQUIRE(r.count(HeaderEdit::Op::Insert, "DKIM-Signature") == 2);
    const HeaderEdit* first = nullptr;
    for (const auto& e : r.edits.headers) if (!first) first = &e;
    CHECK(first->value.find("s=sel2") != std::string::npos);   // the last key first: each goes to 0
    CHECK(run(env, originating(), {{"From", "a@example.com"}}).edits.empty());
}

TEST_CASE("DkimSession: what we sign verifies, and A-R says so", "[dkim][session]") {
    Env env;
    const auto signed_run = run(env, originating(), kHeaders);
    REQUIRE(signed_run.count(HeaderEdit::Op::Insert, "DKIM-Signature") == 1);
    const Headers received = with_inserted(signed_run, kHeaders);
    const auto sig = DkimSignature::parse(" " + received[0].second);
    REQUIRE(sig);
    const std::string b8 = base64_encode(sig->signature).substr(0, 8);

    SECTION("pass") {
        const auto r = run(env, Client{}, received);
        const auto* ar = r.find(HeaderEdit::Op::Insert, "Authentication-Results");
        REQUIRE(ar);
        CHECK(ar->index == 0);
        CHECK(ar->value == "mx.example.net; dkim=pass header.d=example.com header.s=mail header.b=" + b8);
        CHECK(r.count(HeaderEdit::Op::Insert, "Authentication-Results") == 1);
        CHECK(env.dns->queries() == 1);
    }
    SECTION("a changed body fails") {
        const auto r = run(env, Client{}, received, "Hello Eve.\r\n");
        const auto* ar = r.find(HeaderEdit::Op::Insert, "Authentication-Results");
        REQUIRE(ar);
        CHECK(ar->value.rfind("mx.example.net; dkim=fail reason=", 0) == 0);
        CHECK(ar->value.find("header.b=" + b8) != std::string::npos);
    }
    SECTION("a DNS timeout is temperror and the message goes on") {
        env.dns->set_failure(kKeyName, dns::RrType::TXT, dns::Rcode::Timeout);
        const auto r = run(env, Client{}, received);
        CHECK(r.reply.kind == milter::Reply::Kind::Continue);
        const auto* ar = r.find(HeaderEdit::Op::Insert, "Authentication-Results");
        REQUIRE(ar);
        CHECK(ar->value.rfind("mx.example.net; dkim=temperror", 0) == 0);
        CHECK(ar->value.find("header.d=example.com header.s=mail") != std::string::npos);
    }
    SECTION("no key record is permerror") {
        env.dns->set(kKeyName, dns::RrType::TXT, dns::Answer{dns::Rcode::NxDomain, 60, {}, {}, {}, {}, {}});
        const auto r = run(env, Client{}, received);
        const auto* ar = r.find(HeaderEdit::Op::Insert, "Authentication-Results");
        REQUIRE(ar);
        CHECK(ar->value.rfind("mx.example.net; dkim=permerror", 0) == 0);
    }
}

TEST_CASE("DkimSession: on_* actions act after the A-R is written; dry_run only logs", "[dkim][session]") {
    Env env;
    const Headers received = with_inserted(run(env, originating(), kHeaders), kHeaders);
    env.snap->settings.actions.on_fail = ResultAction::Reject;
    env.snap->settings.actions.on_temperror = ResultAction::Tempfail;
    SECTION("a failed signature is rejected, a good one passes") {
        const auto bad = run(env, Client{}, received, "Hello Eve.\r\n");
        CHECK(bad.reply.kind == milter::Reply::Kind::Reject);
        CHECK(bad.reply.text == "DKIM signature of the message did not verify");
        CHECK(run(env, Client{}, received).reply.kind == milter::Reply::Kind::Continue);
    }
    SECTION("temperror tempfails") {
        env.dns->set_failure(kKeyName, dns::RrType::TXT, dns::Rcode::ServFail);
        const auto r = run(env, Client{}, received);
        CHECK(r.reply.kind == milter::Reply::Kind::Tempfail);
        CHECK(r.reply.dsn == "4.7.5");
    }
    SECTION("only listed From: domains are acted on") {
        env.snap->settings.actions.domains = {"example.org"};
        CHECK(run(env, Client{}, received, "Hello Eve.\r\n").reply.kind == milter::Reply::Kind::Continue);
        env.snap->settings.actions.domains = {"example.com"};
        const auto listed = run(env, Client{}, received, "Hello Eve.\r\n");
        CHECK(listed.reply.kind == milter::Reply::Kind::Reject);
        CHECK(listed.reply.text == "DKIM signature of mail from example.com did not verify");
    }
    SECTION("dry_run") {
        env.snap->settings.dry_run = true;
        const auto r = run(env, Client{}, received, "Hello Eve.\r\n");
        CHECK(r.reply.kind == milter::Reply::Kind::Continue);
        CHECK(r.find(HeaderEdit::Op::Insert, "Authentication-Results"));
    }
}

TEST_CASE("DkimSession: forged Authentication-Results are removed, others kept", "[dkim][session]") {
    Env env;
    Headers h = kHeaders;
    h.emplace_back("Authentication-Results", "mx.example.net; dkim=pass header.d=bank.example");
    h.emplace_back("Authentication-Results", "other.example; spf=pass smtp.mailfrom=example.com");
    h.emplace_back("authentication-results", " (sneaky) MX.Example.NET; dkim=pass");
    SECTION("inbound") {
        const auto r = run(env, Client{}, h);
        std::vector<int> deleted;
        for (const auto& e : r.edits.headers)
            if (e.op == HeaderEdit::Op::Change) {
                CHECK(e.name == "Authentication-Results");
                CHECK(e.value.empty());
                deleted.push_back(e.index);
            }
        CHECK(deleted == std::vector<int>{3, 1});   // highest first
        CHECK(r.count(HeaderEdit::Op::Insert, "Authentication-Results") == 1);
    }
    SECTION("outbound too") {
        const auto r = run(env, originating(), h);
        CHECK(r.count(HeaderEdit::Op::Change, "Authentication-Results") == 2);
        CHECK(r.find(HeaderEdit::Op::Insert, "DKIM-Signature"));
    }
}

TEST_CASE("DkimSession: a header block over the bound is not signed", "[dkim][session]") {
    Env env;
    Headers h = kHeaders;
    for (std::size_t i = 0; i < limits::kMaxDkimMessageHeaders; ++i) h.emplace_back("X-Filler", "x");
    CHECK(run(env, originating(), h).edits.empty());
}


TEST_CASE("claims_authserv_id", "[dkim][session]") {
    CHECK(authserv_id_of(" mx.example.net; none") == "mx.example.net");
    CHECK(authserv_id_of("(c (nested)) mx.example.net 1; none") == "mx.example.net");
    CHECK(claims_authserv_id("MX.example.NET;dkim=pass", "mx.example.net"));
    CHECK_FALSE(claims_authserv_id("mx.example.network; dkim=pass", "mx.example.net"));
    CHECK_FALSE(claims_authserv_id("", "mx.example.net"));
}
