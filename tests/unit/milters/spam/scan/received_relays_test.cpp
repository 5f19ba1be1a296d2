// parse_received against SpamAssassin 4.0.1's own parse_received_line: the expected strings were
// produced by SA's Received.pm on the same lines (corpus lines and SA's documented samples).
#include <catch2/catch.hpp>

#include <string>

#include "milters/spam/scan/received_relays.hpp"

using namespace mw::spam;

namespace {

struct Case {
    const char* name;
    const char* line;
    const char* sa;   // "SKIP", "UNPARSEABLE" or the relay string + " priv=N nordns=N"
};

const Case kCases[] = {
    {"Postfix, localhost",
     "from localhost (localhost [127.0.0.1]) by phobos.labs.netnoteinc.com (Postfix) with ESMTP id D03E543C36 for <zzzz@localhost>; Thu, 22 Aug 2002 07:36:16 -0400 (EDT)",
     "[ ip=127.0.0.1 rdns=localhost helo=localhost by=phobos.labs.netnoteinc.com ident= envfrom= intl=0 id=D03E543C36 auth= msa=0 ] priv=1 nordns=0"},
    {"Postfix, ESMTPSA, no rDNS",
     "from mail.example.net (unknown [203.0.113.9]) by mx.example.org (Postfix) with ESMTPSA id 4F1C2A0 for <u@example.org>; Mon, 7 Oct 2002 11:34:38 +0200",
     "[ ip=203.0.113.9 rdns= helo=mail.example.net by=mx.example.org ident= envfrom= intl=0 id=4F1C2A0 auth=ESMTPSA msa=0 ] priv=0 nordns=1"},
    {"sendmail",
     "from listman.spamassassin.taint.org (listman.spamassassin.taint.org [66.187.233.211]) by dogma.slashnull.org (8.11.6/8.11.6) with ESMTP id g7MBYrZ04811 for <zzzz-exmh@spamassassin.taint.org>; Thu, 22 Aug 2002 12:34:53 +0100",
     "[ ip=66.187.233.211 rdns=listman.spamassassin.taint.org helo=listman.spamassassin.taint.org by=dogma.slashnull.org ident= envfrom= intl=0 id=g7MBYrZ04811 auth= msa=0 ] priv=0 nordns=0"},
    {"sendmail with IDENT",
     "from ran-out.mx.develooper.com (IDENT:qmailr@one.develooper.com [64.81.84.115]) by dogma.slashnull.org (8.11.6/8.11.6) with SMTP id h381Vvf19860 for <jm-cpan@jmason.org>; Tue, 8 Apr 2003 02:31:57 +0100",
     "[ ip=64.81.84.115 rdns=one.develooper.com helo=ran-out.mx.develooper.com by=dogma.slashnull.org ident=qmailr envfrom= intl=0 id=h381Vvf19860 auth= msa=0 ] priv=0 nordns=0"},
    {"qmail with HELO",
     "from unknown (HELO mailgateway.cursor-system.com) (62.189.7.27) by mta2.grp.scd.yahoo.com with SMTP; 22 Aug 2002 11:46:29 -0000",
     "[ ip=62.189.7.27 rdns= helo=mailgateway.cursor-system.com by=mta2.grp.scd.yahoo.com ident= envfrom= intl=0 id= auth= msa=0 ] priv=0 nordns=0"},
    {"qmail invoked (skipped)",
     "(qmail 11764 invoked from network); 22 Aug 2002 11:46:29 -0000",
     "SKIP"},
    {"Exim helo=",
     "from usw-sf-list1-b.sourceforge.net ([10.3.1.13] helo=usw-sf-list1.sourceforge.net) by usw-sf-list2.sourceforge.net with esmtp (Exim 3.31-VA-mm2 #1 (Debian)) id 17hskl-0002W7-00; Thu, 22 Aug 2002 07:16:03 -0700",
     "[ ip=10.3.1.13 rdns=usw-sf-list1-b.sourceforge.net helo=usw-sf-list1.sourceforge.net by=usw-sf-list2.sourceforge.net ident= envfrom= intl=0 id=17hskl-0002W7-00 auth= msa=0 ] priv=1 nordns=0"},
    {"Exim [ip] (helo= ident=)",
     "from [218.19.142.229] (helo=hotmail.com ident=yiuhyotp) by yzordderrex with smtp (Exim 3.35 #1 (Debian)) id 194BE5-0005Zh-00; Sat, 12 Apr 2003 03:58:53 +0100",
     "[ ip=218.19.142.229 rdns= helo=hotmail.com by=yzordderrex ident=yiuhyotp envfrom= intl=0 id=194BE5-0005Zh-00 auth= msa=0 ] priv=0 nordns=0"},
    {"Exim local (skipped)",
     "from andrew by trinity.supernews.net with local (Exim 4.12) id 18xeL6-000Dn1-00; Tue, 25 Mar 2003 02:39:00 +0000",
     "SKIP"},
    {"Microsoft SMTPSVC",
     "from tthompson ([217.35.105.172] unverified) by mail.neosinteractive.com with Microsoft SMTPSVC(5.0.2195.5329); Tue, 11 Mar 2003 13:23:01 +0000",
     "[ ip=217.35.105.172 rdns= helo=tthompson by=mail.neosinteractive.com ident= envfrom= intl=0 id= auth= msa=0 ] priv=0 nordns=0"},
    {"SMTPSVC pickup (skipped)",
     "from mail pickup service by hotmail.com with Microsoft SMTPSVC; Thu, 22 Aug 2002 18:20:23 -0700",
     "SKIP"},
    {"Exchange Microsoft SMTP Server",
     "from EXC-DAG-02.global.net (10.45.252.152) by EXC-DAG-02.global.net (10.45.252.152) with Microsoft SMTP Server (version=TLS1_2, cipher=TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256) id 15.1.1261.35; Mon, 29 Oct 2018 11:17:19 +0100",
     "[ ip=10.45.252.152 rdns=EXC-DAG-02.global.net helo=EXC-DAG-02.global.net by=EXC-DAG-02.global.net ident= envfrom= intl=0 id=15.1.1261.35 auth= msa=0 ] priv=1 nordns=0"},
    {"Yahoo webmail via HTTP",
     "from [194.237.142.5] by web13705.mail.yahoo.com via HTTP; Tue, 27 Aug 2002 12:31:52 PDT",
     "[ ip=194.237.142.5 rdns= helo= by=web13705.mail.yahoo.com ident= envfrom= intl=0 id= auth= msa=0 ] priv=0 nordns=0"},
    {"Yahoo authenticated SMTP",
     "from itrqtnlnq (lucilleskinner@93.124.107.183 with login) by smtp111.mail.ne1.yahoo.com with SMTP; 17 Jan 2011 08:23:27 -0800 PST",
     "[ ip=93.124.107.183 rdns= helo=itrqtnlnq by=smtp111.mail.ne1.yahoo.com ident= envfrom= intl=0 id= auth= msa=0 ] priv=0 nordns=0"},
    {"Hotmail HTTP",
     "from 216.30.74.2 by lw15fd.law15.hotmail.msn.com with HTTP; Fri, 23 Aug 2002 01:20:23 GMT",
     "[ ip=216.30.74.2 rdns= helo= by=lw15fd.law15.hotmail.msn.com ident= envfrom= intl=0 id= auth=HTTP msa=0 ] priv=0 nordns=0"},
    {"Hotmail outbound via sendmail",
     "from hotmail.com (f135.law8.hotmail.com [216.33.241.135]) by dogma.slashnull.org (8.11.6/8.11.6) with ESMTP id g7MHbuZ17094 for <jm@jmason.org>; Thu, 22 Aug 2002 18:37:56 +0100",
     "[ ip=216.33.241.135 rdns=f135.law8.hotmail.com helo=hotmail.com by=dogma.slashnull.org ident= envfrom= intl=0 id=g7MHbuZ17094 auth= msa=0 ] priv=0 nordns=0"},
    {"Gmail outbound via Postfix",
     "from mail-wr1-f54.google.com (mail-wr1-f54.google.com [209.85.221.54]) by mx.example.org (Postfix) with ESMTPS id 1A2B3C4D5E for <u@example.org>; Tue, 2 Apr 2019 10:00:00 +0000 (UTC)",
     "[ ip=209.85.221.54 rdns=mail-wr1-f54.google.com helo=mail-wr1-f54.google.com by=mx.example.org ident= envfrom= intl=0 id=1A2B3C4D5E auth= msa=0 ] priv=0 nordns=0"},
    {"Gmail submission ESMTPSA",
     "from [192.168.1.10] ([198.51.100.7]) by smtp.gmail.com with ESMTPSA id x1sm123456wmc.12.2019.04.02.10.00.00 (version=TLS1_2 cipher=ECDHE-RSA-AES128-GCM-SHA256 bits=128/128); Tue, 02 Apr 2019 10:00:00 -0700 (PDT)",
     "[ ip=198.51.100.7 rdns= helo=!192.168.1.10! by=smtp.gmail.com ident= envfrom= intl=0 id=x1sm123456wmc.12.2019.04.02.10.00.00 auth=ESMTPSA msa=0 ] priv=0 nordns=1"},
    {"fetchmail (skipped)",
     "from phobos [127.0.0.1] by localhost with IMAP (fetchmail-5.9.0) for zzzz@localhost (single-drop); Thu, 22 Aug 2002 12:36:16 +0100 (IST)",
     "SKIP"},
    {"no IP (skipped)",
     "from virtual-access.org by bolero.conactive.com ; Thu, 20 Feb 2003 23:32:58 +0100",
     "SKIP"},
    {"IPv4-mapped localhost",
     "from Agni (localhost [::ffff:127.0.0.1]) (TLS: TLSv1/SSLv3, 168bits,DES-CBC3-SHA) by agni.forevermore.net with esmtp; Mon, 28 Oct 2002 14:48:52 -0800",
     "[ ip=127.0.0.1 rdns=localhost helo=Agni by=agni.forevermore.net ident= envfrom= intl=0 id= auth= msa=0 ] priv=1 nordns=0"},
    {"IPv6 address literal",
     "from sender.example ([IPv6:2001:db8::25]) by mx.example.org (8.15.2/8.15.2) with ESMTP id abc123; Tue, 2 Apr 2019 10:00:00 +0000",
     "[ ip=2001:db8::25 rdns= helo=sender.example by=mx.example.org ident= envfrom= intl=0 id=abc123 auth= msa=0 ] priv=0 nordns=1"},
    {"unparseable",
     "from strange.example (garbage) by; Tue, 2 Apr 2019 10:00:00 +0000",
     "UNPARSEABLE"},
    {"qmail numeric HELO",
     "from 1.2.3.4 (HELO [5.6.7.8]) (1.2.3.4) by mx.example.org with SMTP; 2 Apr 2019 10:00:00 -0000",
     "[ ip=1.2.3.4 rdns=1.2.3.4 helo=!5.6.7.8! by=mx.example.org ident= envfrom= intl=0 id= auth= msa=0 ] priv=0 nordns=0"},
};

std::string describe(const ReceivedParse& p) {
    if (p.kind == ReceivedKind::Unparseable) return "UNPARSEABLE";
    if (p.kind == ReceivedKind::Skipped) return "SKIP";
    return relay_as_string(p.relay) + " priv=" + (p.relay.ip_private ? "1" : "0") +
           " nordns=" + (p.relay.no_reverse_dns ? "1" : "0");
}

}  // namespace

TEST_CASE("parse_received: each MTA's shape as SpamAssassin reads it", "[spam][relays]") {
    for (const auto& c : kCases) {
        INFO(c.name << ": " << c.line);
        CHECK(describe(parse_received(c.line)) == c.sa);
    }
}

TEST_CASE("parse_received: folded values and a trailing semicolon read as one line", "[spam][relays]") {
    auto p = parse_received("from a.example (a.example [192.0.2.1])\n\tby mx.example.org (Postfix) with ESMTP id Q1X2;\n");
    REQUIRE(p.kind == ReceivedKind::Relay);
    CHECK(p.relay.ip == "192.0.2.1");
    CHECK(p.relay.rdns == "a.example");
    CHECK(p.relay.by == "mx.example.org");
    CHECK(p.relay.id == "Q1X2");   // SA: ids of 3+ characters
}

TEST_CASE("parse_received: envelope sender and qmail-scanner hand-over", "[spam][relays]") {
    auto p = parse_received("from x.example (x.example [192.0.2.7]) by mx.example.org (8.12.8/8.12.8) with ESMTP "
                            "id h1 (envelope-from <bounce@x.example>); Tue, 2 Apr 2019 10:00:00 +0000");
    REQUIRE(p.kind == ReceivedKind::Relay);
    CHECK(p.relay.envfrom == "bounce@x.example");
    auto q = parse_received("from 156.56.111.196 by blazing.arsecandle.org (envelope-from <g@lists.gentoo.org>, uid 502) "
                            "with qmail-scanner-1.24 (clamdscan: 0.80/594.); 06 Feb 2005 21:11:38 -0000");
    CHECK(q.kind == ReceivedKind::Skipped);
    CHECK(q.qmail_scanner);
    CHECK(q.qmail_scanner_envfrom == "g@lists.gentoo.org");
}

TEST_CASE("parse_received: fetchmail lines are markers, not relays", "[spam][relays]") {
    auto p = parse_received("from phobos [127.0.0.1] by localhost with IMAP (fetchmail-5.9.0) for zzzz@localhost");
    CHECK(p.kind == ReceivedKind::Skipped);
    CHECK(p.fetcher_marker);
    CHECK_FALSE(parse_received("from a (a [192.0.2.1]) by b (Postfix) with ESMTP id 1").fetcher_marker);
}

TEST_CASE("relay_as_string: SA's field order, intl and msa flags", "[spam][relays]") {
    Relay r;
    r.ip = "192.0.2.1", r.rdns = "a.example", r.helo = "a", r.by = "mx", r.id = "Q1", r.auth = "ESMTPA";
    CHECK(relay_as_string(r) ==
          "[ ip=192.0.2.1 rdns=a.example helo=a by=mx ident= envfrom= intl=0 id=Q1 auth=ESMTPA msa=0 ]");
    r.internal = r.msa = true;
    CHECK(relay_as_string(r) ==
          "[ ip=192.0.2.1 rdns=a.example helo=a by=mx ident= envfrom= intl=1 id=Q1 auth=ESMTPA msa=1 ]");
}

TEST_CASE("ip_is_private: SA's IP_PRIVATE ranges", "[spam][relays]") {
    for (const char* ip : {"10.1.2.3", "127.0.0.1", "169.254.1.1", "172.16.0.1", "172.31.255.255", "192.168.0.1",
                           "100.64.0.1", "100.127.0.1", "::1", "fe80::1", "::ffff:10.0.0.1"})
        CHECK(ip_is_private(ip));
    for (const char* ip : {"172.15.0.1", "172.32.0.1", "100.63.0.1", "100.128.0.1", "192.0.2.1", "2001:db8::1", ""})
        CHECK_FALSE(ip_is_private(ip));
    CHECK(is_ipv4_address("192.0.2.1"));
    CHECK_FALSE(is_ipv4_address("192.0.2.256"));
    CHECK_FALSE(is_ipv4_address("!192.0.2.1!"));
}
