// DnsblSession driven directly (no libmilter): settings built from config overrides as the
// daemon builds them, DNS answers from a FakeResolver, tables in a temp dir. Covers the reply
// text (Postfix's default_rbl_reply), the stage, allow lists, access tables, skips,
// always-accepted recipients, score_only, dry_run and the decision log line.
#include <catch2/catch.hpp>

#include <memory>
#include <string>
#include <vector>

#include "common/config/config.hpp"
#include "milters/dnsbl/dnsbl_session.hpp"
#include "milters/dnsbl/params.hpp"
#include "tests/support/fake_resolver.hpp"
#include "tests/support/log_capture.hpp"
#include "tests/support/temp_dir.hpp"

using namespace mw;
using namespace mw::dnsbl;
using Kind = milter::Reply::Kind;

namespace {

constexpr const char* kListed = "192.0.2.99";
constexpr const char* kClean = "192.0.2.1";

struct Env {
    std::shared_ptr<test::FakeResolver> dns = std::make_shared<test::FakeResolver>();
    test::TempDir dir;

    Env() {
        dns->add_a("99.2.0.192.zen.example", "127.0.0.4");
        dns->add_txt("99.2.0.192.zen.example", "listed, see https://zen.example/192.0.2.99");
        dns->add_a("99.2.0.192.wl.example", "127.0.10.2");
        dns->add_a("bad.example.dbl.example", "127.0.1.2");
    }

    std::shared_ptr<const DnsblSnapshot> snapshot(std::vector<std::string> overrides) const {
        config::LoadOptions o;
        o.path = dir.file("none.conf");
        o.missing_ok = true;
        o.overrides = std::move(overrides);
        auto c = config::Config::load(dnsbl_params(), o);
        if (!c) FAIL(c.error().to_string());
        auto s = load_dnsbl_settings(*c);
        if (!s) FAIL(s.error().to_string());
        auto snap = std::make_shared<DnsblSnapshot>();
        snap->settings = std::move(*s);
        snap->resolver = dns;
        REQUIRE(attach_checker(*snap));
        return snap;
    }
};

struct Smtp {
    DnsblSession session;
    milter::Macros macros;

    explicit Smtp(std::shared_ptr<const DnsblSnapshot> snap) : session(std::move(snap)) { macros.set("i", "4ABC"); }

    milter::Reply connect(const std::string& ip, const std::string& name = "unknown") {
        return session.on_connect({name, milter::ConnectInfo::Family::Inet4, ip, 40000}, macros);
    }
    milter::Reply helo(const std::string& h = "mail.example.org") { return session.on_helo(h, macros); }
    milter::Reply mail(const std::string& from = "<alice@example.org>") { return session.on_mail({from}, macros); }
    milter::Reply rcpt(const std::string& to = "<bob@example.net>") { return session.on_rcpt({to}, macros); }
    /// A whole transaction up to the first recipient; the reply of the first step that decides.
    milter::Reply up_to_rcpt(const std::string& ip, const std::string& from = "<alice@example.org>") {
        for (auto r : {connect(ip), helo(), mail(from), rcpt()})
            if (r.kind != Kind::Continue) return r;
        return milter::Reply::cont();
    }
    milter::Reply message(const std::string& from_header, milter::MessageEdits& edits) {
        session.on_header("From", " " + from_header);
        session.on_header("Subject", " hi");
        if (auto r = session.on_eoh(macros); r.kind != Kind::Continue) return r;
        return session.on_eom(edits, macros);
    }
};

}  // namespace

TEST_CASE("DnsblSession: a listed client is refused at RCPT with Postfix's default text", "[dnsbl][session]") {
    Env env;
    test::LogCapture log;
    Smtp smtp(env.snapshot({"dnsbl_sites = zen.example=127.0.0.[2..11]*3"}));
    CHECK(smtp.connect(kListed).kind == Kind::Continue);
    CHECK(smtp.helo().kind == Kind::Continue);
    CHECK(smtp.mail().kind == Kind::Continue);
    const auto r = smtp.rcpt();
    CHECK(r.kind == Kind::Reject);
    CHECK(r.code == "554");
    CHECK(r.dsn == "5.7.1");
    CHECK(r.text == "Service unavailable; Client host [192.0.2.99] blocked using zen.example; "
                    "listed, see https://zen.example/192.0.2.99");
    CHECK(smtp.rcpt("<postmaster@example.net>").kind == Kind::Continue);
    CHECK(smtp.rcpt("<Abuse@Example.NET>").kind == Kind::Continue);
    CHECK(smtp.rcpt("<carol@example.net>").kind == Kind::Reject);
    const auto text = log.text();
    CHECK(text.find("4ABC: dnsbl=blocked client=unknown[192.0.2.99] helo=mail.example.org "
                    "from=alice@example.org to=bob@example.net score=3 listed=zen.example") != std::string::npos);
    CHECK(text.find("action=reject") != std::string::npos);
    Smtp clean(env.snapshot({"dnsbl_sites = zen.example=127.0.0.[2..11]*3"}));
    CHECK(clean.up_to_rcpt(kClean).kind == Kind::Continue);
}

TEST_CASE("DnsblSession: filters, weights, allow lists and thresholds", "[dnsbl][session]") {
    Env env;
    SECTION("an answer outside the filter does not count") {
        Smtp smtp(env.snapshot({"dnsbl_sites = zen.example=127.0.0.[2;3]*3"}));
        CHECK(smtp.up_to_rcpt(kListed).kind == Kind::Continue);
    }
    SECTION("a DNSWL listing outweighs a block list") {
        Smtp smtp(env.snapshot({"dnsbl_sites = zen.example*1, wl.example=127.0.[0..255].[1..3]*-2"}));
        CHECK(smtp.up_to_rcpt(kListed).kind == Kind::Continue);
    }
    SECTION("below the threshold passes") {
        Smtp smtp(env.snapshot({"dnsbl_sites = zen.example*2", "dnsbl_threshold = 3"}));
        CHECK(smtp.up_to_rcpt(kListed).kind == Kind::Continue);
    }
    SECTION("allow_clients and allow_sender_domains skip the lists") {
        Smtp a(env.snapshot({"dnsbl_sites = zen.example", "allow_clients = 192.0.2.0/24"}));
        CHECK(a.up_to_rcpt(kListed).kind == Kind::Continue);
        Smtp b(env.snapshot({"dnsbl_sites = zen.example", "allow_sender_domains = example.org"}));
        CHECK(b.up_to_rcpt(kListed, "<x@mail.example.org>").kind == Kind::Continue);
        Smtp c(env.snapshot({"dnsbl_sites = zen.example", "allow_sender_domains = example.org"}));
        CHECK(c.up_to_rcpt(kListed, "<x@notexample.org>").kind == Kind::Reject);
    }
    SECTION("RHSBL on the sender's domain") {
        Smtp smtp(env.snapshot({"rhsbl_sender_sites = dbl.example=127.0.1.[2..99]"}));
        const auto r = smtp.up_to_rcpt(kClean, "<spam@bad.example>");
        CHECK(r.kind == Kind::Reject);
        CHECK(r.text == "Service unavailable; Sender address [spam@bad.example] blocked using dbl.example");
    }
}

TEST_CASE("DnsblSession: stages, skips and DNS failures", "[dnsbl][session]") {
    Env env;
    SECTION("reject_stage = connect") {
        Smtp smtp(env.snapshot({"dnsbl_sites = zen.example", "reject_stage = connect"}));
        CHECK(smtp.connect(kListed).kind == Kind::Reject);
    }
    SECTION("internal and authenticated clients are skipped") {
        Smtp internal(env.snapshot({"dnsbl_sites = zen.example", "internal_hosts = 192.0.2.0/24"}));
        CHECK(internal.up_to_rcpt(kListed).kind == Kind::Continue);
        Smtp authed(env.snapshot({"dnsbl_sites = zen.example"}));
        authed.macros.set("auth_authen", "alice");
        CHECK(authed.up_to_rcpt(kListed).kind == Kind::Continue);
        CHECK(env.dns->queries() == 0);
    }
    SECTION("every list failed: dns_failure_action") {
        env.dns->set_failure("1.2.0.192.zen.example", dns::RrType::A, dns::Rcode::ServFail);
        Smtp accept(env.snapshot({"dnsbl_sites = zen.example"}));
        CHECK(accept.up_to_rcpt(kClean).kind == Kind::Continue);
        Smtp tempfail(env.snapshot({"dnsbl_sites = zen.example", "dns_failure_action = tempfail"}));
        const auto r = tempfail.up_to_rcpt(kClean);
        CHECK(r.kind == Kind::Tempfail);
        CHECK(r.code == "451");
    }
    SECTION("an error code is never a listing") {
        env.dns->add_a("7.2.0.192.zen.example", "127.255.255.254");
        Smtp smtp(env.snapshot({"dnsbl_sites = zen.example"}));
        CHECK(smtp.up_to_rcpt("192.0.2.7").kind == Kind::Continue);
    }
}

TEST_CASE("DnsblSession: access tables come first", "[dnsbl][session]") {
    Env env;
    const auto senders = env.dir.write("senders", "spammer@example.org REJECT 5.7.1 go away\n"
                                                  "friend.example OK\n"
                                                  "slow.example DEFER try later\n"
                                                  "held.example HOLD\n");
    const auto clients = env.dir.write("clients", "192.0.2.200/32 REJECT no thanks\n");
    auto snap = env.snapshot({"dnsbl_sites = zen.example", "sender_access = " + senders, "client_access = " + clients});
    SECTION("sender REJECT with its text") {
        Smtp smtp(snap);
        const auto r = smtp.up_to_rcpt(kClean, "<Spammer@Example.org>");
        CHECK(r.kind == Kind::Reject);
        CHECK(r.code == "554");
        CHECK(r.dsn == "5.7.1");
        CHECK(r.text == "<Spammer@Example.org>: Sender address rejected: go away");
    }
    SECTION("OK lets a listed client through, subdomains too") {
        Smtp smtp(snap);
        CHECK(smtp.up_to_rcpt(kListed, "<a@mail.friend.example>").kind == Kind::Continue);
    }
    SECTION("DEFER and HOLD") {
        Smtp defer(snap);
        const auto r = defer.up_to_rcpt(kClean, "<a@slow.example>");
        CHECK(r.kind == Kind::Tempfail);
        CHECK(r.code == "450");
        Smtp hold(snap);
        CHECK(hold.up_to_rcpt(kClean, "<a@held.example>").kind == Kind::Continue);
        milter::MessageEdits edits;
        CHECK(hold.message("a@held.example", edits).kind == Kind::Quarantine);
    }
    SECTION("client_access") {
        Smtp smtp(snap);
        const auto r = smtp.up_to_rcpt("192.0.2.200");
        CHECK(r.kind == Kind::Reject);
        CHECK(r.text == "<unknown[192.0.2.200]>: Client host rejected: no thanks");
    }
}

TEST_CASE("DnsblSession: score_only, dry_run, From: lists and reply maps", "[dnsbl][session]") {
    Env env;
    SECTION("score_only adds the header and refuses nothing") {
        Smtp smtp(env.snapshot({"dnsbl_sites = zen.example*3, wl.example*-1", "score_only = yes"}));
        CHECK(smtp.up_to_rcpt(kListed).kind == Kind::Continue);
        milter::MessageEdits edits;
        CHECK(smtp.message("a@example.org", edits).kind == Kind::Continue);
        REQUIRE(edits.headers.size() == 1);
        CHECK(edits.headers[0].name == "X-Mailwarden-DNSBL");
        CHECK(edits.headers[0].value == " score=2; zen.example=127.0.0.4*3; wl.example=127.0.10.2*-1");
    }
    SECTION("dry_run logs the refusal and accepts") {
        test::LogCapture log;
        Smtp smtp(env.snapshot({"dnsbl_sites = zen.example", "dry_run = yes"}));
        CHECK(smtp.up_to_rcpt(kListed).kind == Kind::Continue);
        CHECK(log.text().find("dry_run=reject action=continue") != std::string::npos);
    }
    SECTION("rhsbl_from_sites decides after the headers") {
        Smtp smtp(env.snapshot({"rhsbl_from_sites = dbl.example"}));
        CHECK(smtp.up_to_rcpt(kClean).kind == Kind::Continue);
        milter::MessageEdits edits;
        const auto r = smtp.message("Spammer <x@bad.example>", edits);
        CHECK(r.kind == Kind::Reject);
        CHECK(r.text == "Service unavailable; Header address [x@bad.example] blocked using dbl.example");
    }
    SECTION("rbl_reply_maps and a custom default") {
        const auto map = env.dir.write("replies", "zen.example 550 5.7.23 $client_address is on $rbl_domain\n");
        Smtp smtp(env.snapshot({"dnsbl_sites = zen.example", "rbl_reply_maps = " + map}));
        const auto r = smtp.up_to_rcpt(kListed);
        CHECK(r.code == "550");
        CHECK(r.dsn == "5.7.23");
        CHECK(r.text == "192.0.2.99 is on zen.example");
        Smtp custom(env.snapshot({"dnsbl_sites = zen.example", "default_rbl_reply = 451 4.7.1 later, $helo_name"}));
        const auto t = custom.up_to_rcpt(kListed);
        CHECK(t.kind == Kind::Tempfail);
        CHECK(t.text == "later, mail.example.org");
    }
}
