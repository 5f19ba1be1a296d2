// The relay eval functions (RelayEval.pm, HeaderEval.pm Received forgeries): a hit and a miss each.
#include <catch2/catch.hpp>

#include <string>
#include <utility>
#include <vector>

#include "milters/spam/mime/header_block.hpp"
#include "milters/spam/mime/message_parser.hpp"
#include "milters/spam/scan/eval_registry.hpp"
#include "milters/spam/scan/header_text.hpp"
#include "milters/spam/scan/relay_trust.hpp"

using namespace mw::spam;

namespace {

using Fields = std::vector<std::pair<const char*, const char*>>;

/// One message's headers, its relay analysis (inferred trust) and the ScanInput over both.
struct Message {
    ParsedMessage parsed;
    RelayAnalysis relays;
    ScanInput in;

    explicit Message(const Fields& fields) {
        mime_library_init();   // make_header_field decodes with GMime
        for (auto& [name, value] : fields) parsed.headers.push_back(make_header_field(name, value));
        relays = analyze_relays(parsed.headers, {});
        in.message = &parsed;
        in.relays = &relays;
    }
    int run(const char* eval) const {
        const EvalEntry* e = EvalRegistry::builtin().find(eval);
        REQUIRE(e != nullptr);
        return e->run(in, {});
    }
};

const char* kPrivateHop = "from int-mx1.corp.example (int-mx1.corp.example [172.16.52.254]) by listman.example "
                          "(Postfix) with ESMTP id 10CF8406D7";
const char* kPublicHop = "from listman.spamassassin.taint.org (listman.spamassassin.taint.org [66.187.233.211]) by "
                         "dogma.slashnull.org (8.11.6/8.11.6) with ESMTP id g7MBYrZ04811";

}  // namespace

TEST_CASE("check_all_trusted / check_no_relays / check_relays_unparseable", "[spam][relays]") {
    Message all_private(Fields{{"Received", kPrivateHop}});
    CHECK(all_private.run("check_all_trusted") == 1);
    CHECK(all_private.run("check_no_relays") == 0);
    Message public_hop(Fields{{"Received", kPrivateHop}, {"Received", kPublicHop}});
    CHECK(public_hop.run("check_all_trusted") == 0);
    Message unparseable(Fields{{"Received", kPrivateHop}, {"Received", "from strange.example (garbage) by; x"}});
    CHECK(unparseable.run("check_all_trusted") == 0);
    CHECK(unparseable.run("check_relays_unparseable") == 1);
    CHECK(all_private.run("check_relays_unparseable") == 0);
    Message none(Fields{{"Subject", "hi"}});
    CHECK(none.run("check_no_relays") == 1);
    CHECK(none.run("check_all_trusted") == 0);
}

TEST_CASE("helo_ip_mismatch: an IP HELO in another /24", "[spam][relays]") {
    Message hit(Fields{{"Received", "from 1.2.3.4 (HELO 9.8.7.6) (1.2.3.4) by mx.example.org with SMTP; 2 Apr 2019 10:00:00 -0000"}});
    CHECK(hit.run("helo_ip_mismatch") == 1);
    Message same24(Fields{{"Received", "from 1.2.3.4 (HELO 1.2.3.9) (1.2.3.4) by mx.example.org with SMTP; 2 Apr 2019 10:00:00 -0000"}});
    CHECK(same24.run("helo_ip_mismatch") == 0);
    Message private_helo(Fields{{"Received", "from 1.2.3.4 (HELO 10.0.0.1) (1.2.3.4) by mx.example.org with SMTP"}});
    CHECK(private_helo.run("helo_ip_mismatch") == 0);
}

TEST_CASE("check_for_no_rdns_dotcom_helo: a big-dotcom HELO without rDNS", "[spam][relays]") {
    Message hit(Fields{{"Received", "from mx02.hotmail.com (unknown [198.51.100.3]) by mx.example.org (Postfix) with ESMTP id 1"}});
    CHECK(hit.run("check_for_no_rdns_dotcom_helo") == 1);
    Message rdns(Fields{{"Received", "from mx02.hotmail.com (www.sucasita.com.mx [198.51.100.3]) by mx.example.org (Postfix) with ESMTP id 1"}});
    CHECK(rdns.run("check_for_no_rdns_dotcom_helo") == 0);
    Message other(Fields{{"Received", "from mx.example.net (unknown [198.51.100.3]) by mx.example.org (Postfix) with ESMTP id 1"}});
    CHECK(other.run("check_for_no_rdns_dotcom_helo") == 0);
}

TEST_CASE("check_for_forged_yahoo_received_headers", "[spam][relays]") {
    Message forged(Fields{{"Received", kPublicHop}, {"From", "Jo <jo@yahoo.com>"}});
    CHECK(forged.run("check_for_forged_yahoo_received_headers") == 1);
    Message web(Fields{{"Received", kPublicHop},
                 {"Received", "from [194.237.142.5] by web13705.mail.yahoo.com via HTTP; Tue, 27 Aug 2002 12:31:52 PDT"},
                 {"From", "Jo <jo@yahoo.com>"}});
    CHECK(web.run("check_for_forged_yahoo_received_headers") == 0);
    Message not_yahoo(Fields{{"Received", kPublicHop}, {"From", "jo@example.com"}});
    CHECK(not_yahoo.run("check_for_forged_yahoo_received_headers") == 0);
}

TEST_CASE("check_for_forged_hotmail / check_for_no_hotmail_received_headers", "[spam][relays]") {
    Message claims(Fields{{"Received", "from hotmail.com (spam.example [198.51.100.9]) by mx.example.org (8.12.8/8.12.8) with SMTP id a"},
                    {"From", "x@example.com"}});
    CHECK(claims.run("check_for_forged_hotmail_received_headers") == 1);
    CHECK(claims.run("check_for_no_hotmail_received_headers") == 0);
    Message no_hotmail(Fields{{"Received", kPublicHop}, {"From", "x@hotmail.com"}});
    CHECK(no_hotmail.run("check_for_forged_hotmail_received_headers") == 0);
    CHECK(no_hotmail.run("check_for_no_hotmail_received_headers") == 1);
    Message genuine(Fields{{"Received", "from hotmail.com (f135.law8.hotmail.com [216.33.241.135]) by dogma.slashnull.org "
                                  "(8.11.6/8.11.6) with ESMTP id g7MHbuZ17094"},
                     {"X-Originating-IP", "[216.30.74.2]"},
                     {"From", "x@hotmail.com"}});
    CHECK(genuine.run("check_for_forged_hotmail_received_headers") == 0);
    CHECK(genuine.run("check_for_no_hotmail_received_headers") == 0);
}

TEST_CASE("check_for_forged_gmail_received_headers", "[spam][relays]") {
    Message forged(Fields{{"Received", kPublicHop}, {"From", "x@gmail.com"}});
    CHECK(forged.run("check_for_forged_gmail_received_headers") == 1);
    Message genuine(Fields{{"Received", kPublicHop}, {"X-Received", "by 10.28.1.2 with SMTP id a1mr1; Tue, 2 Apr 2019"},
                     {"From", "x@gmail.com"}});
    CHECK(genuine.run("check_for_forged_gmail_received_headers") == 0);
    Message other(Fields{{"Received", kPublicHop}, {"From", "x@example.com"}});
    CHECK(other.run("check_for_forged_gmail_received_headers") == 0);
}

TEST_CASE("check_for_numeric_helo, sender_no_reverse, forged_received_trail", "[spam][relays]") {
    Message numeric(Fields{{"Received", "from 1.2.3.4 (HELO 9.8.7.6) (1.2.3.4) by mx.example.org with SMTP"}});
    CHECK(numeric.run("check_for_numeric_helo") == 1);
    Message named(Fields{{"Received", kPublicHop}});
    CHECK(named.run("check_for_numeric_helo") == 0);
    CHECK(named.run("check_for_sender_no_reverse") == 1);
    Message trail(Fields{{"Received", "from a.one.example (a.one.example [198.51.100.1]) by mx.dest.example (8.12.8/8.12.8) with ESMTP id 1"},
                   {"Received", "from b.two.example (b.two.example [198.51.100.2]) by relay.other.example (8.12.8/8.12.8) with ESMTP id 2"},
                   {"Received", "from c.three.example (c.three.example [198.51.100.3]) by relay.third.example (8.12.8/8.12.8) with ESMTP id 3"}});
    CHECK(trail.run("check_for_forged_received_trail") == 1);
    CHECK(named.run("check_for_forged_received_trail") == 0);
}

TEST_CASE("header_text serves X-Spam-Relays-* from the analysis, never from the message", "[spam][relays]") {
    Message m(Fields{{"Received", kPrivateHop}, {"Received", kPublicHop}, {"X-Spam-Relays-Untrusted", "forged"}});
    HeaderTarget t;
    t.name = "X-Spam-Relays-Untrusted";
    CHECK(header_target_supported(t));
    CHECK(header_text(m.parsed.headers, t, "", &m.relays) == m.relays.untrusted_str);
    t.name = "X-Spam-Relays-Trusted";
    CHECK(header_text(m.parsed.headers, t, "", &m.relays) == m.relays.trusted_str);
    t.name = "X-Spam-Relays-Bogus";
    CHECK_FALSE(header_target_supported(t));
}
