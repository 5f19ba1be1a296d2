// analyze_relays: SpamAssassin's trust path (Received.pm parse_received_headers), with and
// without trusted_networks, and the exact X-Spam-Relays-* strings.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "milters/spam/mime/header_block.hpp"
#include "milters/spam/mime/message_parser.hpp"
#include "milters/spam/scan/relay_trust.hpp"

using namespace mw::spam;

namespace {

std::vector<HeaderField> received(std::initializer_list<const char*> values) {
    mime_library_init();   // make_header_field decodes with GMime
    std::vector<HeaderField> out;
    for (const char* v : values) out.push_back(make_header_field("Received", v));
    return out;
}

mw::net::CidrSet cidrs(const char* list) { return mw::net::CidrSet::parse(list).value(); }

// From corpus message ham/easy1-00001 (newest first).
const char* kLocal = "from localhost (localhost [127.0.0.1]) by phobos.labs.netnoteinc.com (Postfix) with ESMTP id "
                     "D03E543C36 for <zzzz@localhost>; Thu, 22 Aug 2002 07:36:16 -0400 (EDT)";
const char* kPublic = "from listman.spamassassin.taint.org (listman.spamassassin.taint.org [66.187.233.211]) by "
                      "dogma.slashnull.org (8.11.6/8.11.6) with ESMTP id g7MBYrZ04811 for "
                      "<zzzz-exmh@spamassassin.taint.org>; Thu, 22 Aug 2002 12:34:53 +0100";
const char* kPrivate = "from int-mx1.corp.spamassassin.taint.org (int-mx1.corp.spamassassin.taint.org "
                       "[172.16.52.254]) by listman.redhat.com (Postfix) with ESMTP id 10CF8406D7 for "
                       "<exmh-workers@listman.spamassassin.taint.org>; Thu, 22 Aug 2002 07:34:10 -0400 (EDT)";
const char* kAuth = "from client.example (unknown [203.0.113.5]) by submit.example.org (Postfix) with ESMTPSA "
                    "id 5A; Tue, 2 Apr 2019 10:00:00 +0000";

}  // namespace

TEST_CASE("analyze_relays: SA's exact strings for a corpus chain, trust inferred", "[spam][relays]") {
    auto a = analyze_relays(received({kLocal, kPublic, kPrivate}), {});
    CHECK(a.trusted_str ==
          "[ ip=127.0.0.1 rdns=localhost helo=localhost by=phobos.labs.netnoteinc.com ident= envfrom= intl=1 "
          "id=D03E543C36 auth= msa=0 ]");
    CHECK(a.untrusted_str ==
          "[ ip=66.187.233.211 rdns=listman.spamassassin.taint.org helo=listman.spamassassin.taint.org "
          "by=dogma.slashnull.org ident= envfrom= intl=0 id=g7MBYrZ04811 auth= msa=0 ] "
          "[ ip=172.16.52.254 rdns=int-mx1.corp.spamassassin.taint.org helo=int-mx1.corp.spamassassin.taint.org "
          "by=listman.redhat.com ident= envfrom= intl=0 id=10CF8406D7 auth= msa=0 ]");
    CHECK(a.internal_str == a.trusted_str);      // inferred: trusted = internal
    CHECK(a.external_str == a.untrusted_str);
    CHECK(a.last_trusted_relay_index == 0);
}

TEST_CASE("analyze_relays: private and authenticated hops keep inferred trust", "[spam][relays]") {
    auto a = analyze_relays(received({kLocal, kPrivate, kAuth, kPublic}), {});
    CHECK(a.trusted.size() == 3);
    REQUIRE(a.untrusted.size() == 1);
    CHECK(a.untrusted[0].ip == "66.187.233.211");
    CHECK(a.trusted[2].auth == "ESMTPSA");
}

TEST_CASE("analyze_relays: no Received fields, only unparseable ones", "[spam][relays]") {
    auto none = analyze_relays({}, {});
    CHECK(none.trusted.empty());
    CHECK(none.untrusted.empty());
    CHECK(none.trusted_str.empty());
    auto bad = analyze_relays(received({"from strange.example (garbage) by; Tue, 2 Apr 2019"}), {});
    CHECK(bad.unparseable == 1);
    CHECK(bad.last_trusted_relay_index == 0);   // SA counts it while still in the trusted part
}

TEST_CASE("analyze_relays: configured trusted_networks", "[spam][relays]") {
    RelayOptions o;
    o.trusted_networks = cidrs("172.16.0.0/12");
    auto a = analyze_relays(received({kLocal, kPrivate, kPublic}), o);
    CHECK(a.trusted.size() == 2);   // 127/8 is always trusted
    CHECK(a.untrusted.size() == 1);
    CHECK(a.internal.size() == 2);  // internal_networks unset: trusted_networks stand in

    o.internal_networks = cidrs("10.0.0.0/8");
    auto b = analyze_relays(received({kLocal, kPrivate, kPublic}), o);
    CHECK(b.trusted.size() == 2);
    CHECK(b.internal.size() == 1);  // 172.16.52.254 is trusted but external
    CHECK(b.trusted[1].internal == false);
    CHECK(b.trusted_str.find("intl=0") != std::string::npos);
}

TEST_CASE("analyze_relays: an authenticated hop stays trusted, msa_networks end the walk", "[spam][relays]") {
    RelayOptions o;
    o.trusted_networks = cidrs("192.0.2.0/24");
    CHECK(analyze_relays(received({kAuth, kPublic}), o).trusted.size() == 1);
    o.trusted_networks = cidrs("66.187.233.0/24");
    o.msa_networks = cidrs("66.187.233.211");
    auto a = analyze_relays(received({kPublic, "from evil.example (evil.example [198.51.100.66]) by "
                                                "listman.spamassassin.taint.org (8.11.6/8.11.6) with SMTP id zz"}), o);
    REQUIRE(a.trusted.size() == 2);   // everything before the MSA is trusted
    CHECK(a.trusted[0].msa);
    CHECK(a.trusted_str.find("msa=1") != std::string::npos);
}

TEST_CASE("analyze_relays: the connecting client is the newest relay", "[spam][relays]") {
    RelayOptions o;
    o.connecting_client = client_relay("198.51.100.20", "", "spammer.example", "mx.example.org", "");
    auto a = analyze_relays(received({kLocal}), o);
    CHECK(a.trusted.empty());   // a public client: nothing after it can be trusted
    REQUIRE(a.untrusted.size() == 2);
    CHECK(a.untrusted_str.rfind("[ ip=198.51.100.20 rdns= helo=spammer.example by=mx.example.org ident= "
                                "envfrom= intl=0 id= auth= msa=0 ]", 0) == 0);
    CHECK(a.untrusted[0].no_reverse_dns);

    o.connecting_client = client_relay("192.168.1.5", "pc.lan", "pc", "mx.example.org", "PLAIN");
    auto b = analyze_relays(received({kLocal}), o);
    CHECK(b.trusted.size() == 2);
    CHECK(b.trusted[0].auth == "ESMTPA");
}

TEST_CASE("analyze_relays: fetchmail restarts the trusted list, qmail-scanner passes envfrom on", "[spam][relays]") {
    auto a = analyze_relays(
        received({kLocal, "from phobos [127.0.0.1] by localhost with IMAP (fetchmail-5.9.0) for zzzz@localhost", kPrivate,
                  kPublic}),
        {});
    REQUIRE(a.trusted.size() == 1);   // the hop before the fetcher is forgotten
    CHECK(a.trusted[0].ip == "172.16.52.254");
    auto b = analyze_relays(
        received({"from 1.2.3.4 by blazing.arsecandle.org (envelope-from <g@lists.gentoo.org>, uid 502) with "
                  "qmail-scanner-1.24 (clamdscan: 0.80/594.); 06 Feb 2005 21:11:38 -0000",
                  kPublic}),
        {});
    REQUIRE(b.untrusted.size() == 1);
    CHECK(b.untrusted[0].envfrom == "g@lists.gentoo.org");
}

TEST_CASE("analyze_relays: originating_ip_headers add a synthetic last relay", "[spam][relays]") {
    auto fields = received({kPublic});
    fields.push_back(make_header_field("X-Originating-IP", "[203.0.113.77]"));
    RelayOptions o;
    CHECK(analyze_relays(fields, o).untrusted.size() == 1);
    o.originating_ip_headers = {"X-Originating-IP"};
    auto a = analyze_relays(fields, o);
    REQUIRE(a.untrusted.size() == 2);
    CHECK(a.untrusted[1].ip == "203.0.113.77");
    CHECK(a.untrusted[1].by.empty());
}
