#include <catch2/catch.hpp>

#include <algorithm>
#include <string>

#include "policyd/spf_policy.hpp"
#include "tests/unit/policyd/fake_spf_checker.hpp"

using namespace mw::policyd;
using mw::Deadline;
using mw::policyd::test::FakeSpfChecker;
using mw::spf::Identity;
using mw::spf::SpfResult;

namespace {

constexpr SpfResult kResults[] = {SpfResult::None,     SpfResult::Neutral,   SpfResult::Pass,
                                  SpfResult::Fail,     SpfResult::SoftFail,  SpfResult::TempError,
                                  SpfResult::PermError};

PolicyRequest request(std::string sender = "a@example.org", std::string helo = "mx.example.org",
                      std::string ip = "203.0.113.9") {
    PolicyRequest r;
    r.request = "smtpd_access_policy";
    r.protocol_state = "RCPT";
    r.client_address = std::move(ip);
    r.client_name = "unknown";
    r.reverse_client_name = "unknown";
    r.helo_name = std::move(helo);
    r.sender = std::move(sender);
    r.recipient = "b@example.net";
    r.instance = "1.2.3";
    r.queue_id = "8045F2AB23";
    return r;
}

PolicyOptions options() {
    PolicyOptions o;
    o.receiver = "mx.example.net";
    o.authserv_id = "mx.example.net";
    return o;
}

Decision decide(const PolicyOptions& o, FakeSpfChecker& spf, const PolicyRequest& r) {
    return SpfPolicy(o, spf).decide(r, Deadline::never());
}

char verdict_letter(Verdict v) {
    switch (v) {
        case Verdict::Accept: return 'A';
        case Verdict::Reject: return 'R';
        case Verdict::Defer: return 'D';
        case Verdict::NoAction: return 'N';
    }
    return '?';
}

/// Verdicts for kResults in order, as letters (A accept, R reject, D defer, N no action).
std::string verdicts(Identity scope, RejectPolicy p, const PolicyOptions& o, bool null_sender) {
    std::string s;
    for (auto r : kResults) s += verdict_letter(verdict_for(scope, p, r, o, null_sender));
    return s;
}

bool has_field(const Decision& d, const std::string& key, const std::string& value) {
    const auto f = d.log_fields();
    return std::find(f.begin(), f.end(), LogField{key, value}) != f.end();
}

}  // namespace

TEST_CASE("verdict_for: every result under every policy (policyd-spf's table)", "[policyd]") {
    // Columns: none neutral pass fail softfail temperror permerror.
    struct Row {
        RejectPolicy policy;
        const char* mailfrom;          // default permerror/temperror options
        const char* mailfrom_strict;   // permerror_reject = temperror_defer = yes
        const char* helo_with_sender;  // default options, sender present
        const char* helo_null_sender;  // strict options, null sender
    };
    const Row rows[] = {
        {RejectPolicy::Fail, "AAARAAA", "AAARADR", "AAARAAA", "AAARADR"},
        {RejectPolicy::SpfNotPass, "ARARRAA", "ARARRDR", "ARARRAA", "ARARRDR"},
        {RejectPolicy::Softfail, "AAARRAA", "AAARRDR", "AAARRAA", "AAARRDR"},
        {RejectPolicy::Null, "AAAAAAA", "AAAAADR", "NNNNNNN", "AAARADR"},
        {RejectPolicy::False, "AAAAAAA", "AAAAAAA", "AAAAAAA", "AAAAAAA"},
        {RejectPolicy::NoCheck, "NNNNNNN", "NNNNNNN", "NNNNNNN", "NNNNNNN"},
    };
    PolicyOptions plain;
    PolicyOptions strict;
    strict.permerror_reject = true;
    strict.temperror_defer = true;
    for (const auto& row : rows) {
        INFO("policy " << to_string(row.policy));
        CHECK(verdicts(Identity::MailFrom, row.policy, plain, false) == row.mailfrom);
        CHECK(verdicts(Identity::MailFrom, row.policy, strict, false) == row.mailfrom_strict);
        CHECK(verdicts(Identity::Helo, row.policy, plain, false) == row.helo_with_sender);
        CHECK(verdicts(Identity::Helo, row.policy, strict, true) == row.helo_null_sender);
    }
}

TEST_CASE("SpfPolicy: MAIL FROM result x mail_from_reject -> reply", "[policyd]") {
    struct Row {
        RejectPolicy policy;
        SpfResult result;
        std::string wire_prefix;
    };
    const Row rows[] = {
        {RejectPolicy::Fail, SpfResult::Fail, "action=550 5.7.23 Message rejected due to: not "
                                              "authorized by example.org. Please see "},
        {RejectPolicy::Fail, SpfResult::SoftFail, "action=PREPEND Received-SPF: softfail "},
        {RejectPolicy::Softfail, SpfResult::SoftFail, "action=550 5.7.23 Message rejected due "
                                                      "to: SPF softfail"},
        {RejectPolicy::SpfNotPass, SpfResult::Neutral, "action=550 5.7.23 Message rejected due "
                                                       "to: SPF neutral"},
        {RejectPolicy::SpfNotPass, SpfResult::Pass, "action=PREPEND Received-SPF: pass "},
        {RejectPolicy::False, SpfResult::Fail, "action=PREPEND Received-SPF: fail "},
        {RejectPolicy::Null, SpfResult::Fail, "action=PREPEND Received-SPF: fail "},
        {RejectPolicy::NoCheck, SpfResult::Fail, "action=DUNNO"},
        {RejectPolicy::Fail, SpfResult::PermError, "action=550 5.7.24 Message rejected due to: "
                                                   "SPF permanent error: too many DNS lookups."},
        {RejectPolicy::Fail, SpfResult::TempError, "action=DEFER_IF_PERMIT 4.7.24 Message "
                                                   "deferred due to: SPF temporary error: DNS "
                                                   "timeout."},
        {RejectPolicy::False, SpfResult::TempError, "action=PREPEND Received-SPF: temperror "},
    };
    for (const auto& row : rows) {
        INFO(to_string(row.policy) << " / " << mw::spf::to_string(row.result));
        auto o = options();
        o.helo_reject = RejectPolicy::NoCheck;
        o.mail_from_reject = row.policy;
        o.permerror_reject = true;
        o.temperror_defer = true;
        FakeSpfChecker spf;
        spf.script(Identity::MailFrom, row.result);
        const auto wire = decide(o, spf, request()).reply().to_wire();
        CHECK(wire.substr(0, row.wire_prefix.size()) == row.wire_prefix);
        CHECK(spf.calls.size() == (row.policy == RejectPolicy::NoCheck ? 0u : 1u));
    }
}

TEST_CASE("SpfPolicy: HELO is checked first and a HELO fail decides alone", "[policyd]") {
    FakeSpfChecker spf;
    spf.script(Identity::Helo, SpfResult::Fail);
    spf.script(Identity::MailFrom, SpfResult::Pass);
    const auto d = decide(options(), spf, request());
    REQUIRE(spf.calls.size() == 1);
    CHECK(spf.calls[0].identity == Identity::Helo);
    CHECK(spf.calls[0].helo == "mx.example.org");
    CHECK(spf.calls[0].sender.empty());
    CHECK(spf.calls[0].receiver == "mx.example.net");
    CHECK(d.action == ReplyAction::Reject);
    CHECK(d.decided_by == Identity::Helo);
    CHECK(d.text.find("s=helo;id=mx.example.org") != std::string::npos);
    CHECK_FALSE(d.mailfrom);
}

TEST_CASE("SpfPolicy: both identities checked, MAIL FROM header wins", "[policyd]") {
    FakeSpfChecker spf;
    spf.script(Identity::Helo, SpfResult::Pass);
    spf.script(Identity::MailFrom, SpfResult::Pass);
    const auto d = decide(options(), spf, request());
    REQUIRE(spf.calls.size() == 2);
    CHECK(spf.calls[1].identity == Identity::MailFrom);
    CHECK(spf.calls[1].sender == "a@example.org");
    CHECK(spf.calls[1].helo == "mx.example.org");
    CHECK(d.action == ReplyAction::Prepend);
    CHECK(d.header ==
          "Received-SPF: pass (mx.example.net: domain of a@example.org designates 203.0.113.9 "
          "as permitted sender) identity=mailfrom; client-ip=203.0.113.9; helo=mx.example.org; "
          "envelope-from=\"a@example.org\"; receiver=mx.example.net; "
          "mechanism=\"ip4:192.0.2.0/24\";");
}

TEST_CASE("SpfPolicy: MAIL FROM none keeps the HELO result's header", "[policyd]") {
    FakeSpfChecker spf;
    spf.script(Identity::Helo, SpfResult::Pass);
    spf.script(Identity::MailFrom, SpfResult::None);
    const auto d = decide(options(), spf, request());
    CHECK(d.decided_by == Identity::Helo);
    CHECK(d.header.find("Received-SPF: pass") == 0);
    CHECK(d.header.find("identity=helo;") != std::string::npos);
    CHECK(d.header.find("domain of postmaster@mx.example.org") != std::string::npos);

    FakeSpfChecker none;
    const auto both_none = decide(options(), none, request());
    CHECK(both_none.decided_by == Identity::MailFrom);
    CHECK(both_none.header.find("Received-SPF: none") == 0);
}

TEST_CASE("SpfPolicy: HELO_reject Null only acts for the null sender", "[policyd]") {
    auto o = options();
    o.helo_reject = RejectPolicy::Null;
    FakeSpfChecker spf;
    spf.script(Identity::Helo, SpfResult::Fail);
    const auto with_sender = decide(o, spf, request());
    CHECK(with_sender.action == ReplyAction::Prepend);  // MAIL FROM none: HELO header kept
    CHECK(with_sender.header.find("Received-SPF: fail") == 0);
    CHECK(with_sender.header.find("identity=helo;") != std::string::npos);
    const auto bounce = decide(o, spf, request(""));
    CHECK(bounce.action == ReplyAction::Reject);
    CHECK(bounce.dsn == "5.7.23");
}

TEST_CASE("SpfPolicy: the null sender is judged on HELO alone", "[policyd]") {
    FakeSpfChecker spf;
    spf.script(Identity::Helo, SpfResult::SoftFail);
    const auto d = decide(options(), spf, request(""));
    CHECK(spf.calls.size() == 1);
    CHECK(d.action == ReplyAction::Prepend);
    CHECK(d.header.find("envelope-from=\"<>\";") != std::string::npos);

    auto o = options();
    o.helo_reject = RejectPolicy::NoCheck;
    FakeSpfChecker quiet;
    CHECK(decide(o, quiet, request("")).action == ReplyAction::Dunno);
    CHECK(quiet.calls.empty());
}

TEST_CASE("SpfPolicy: an empty HELO takes the sender's domain", "[policyd]") {
    FakeSpfChecker spf;
    decide(options(), spf, request("a@example.org", ""));
    REQUIRE_FALSE(spf.calls.empty());
    CHECK(spf.calls[0].helo == "example.org");
    FakeSpfChecker none;
    CHECK(decide(options(), none, request("", "")).skipped == "no_identity");
    CHECK(none.calls.empty());
}

TEST_CASE("SpfPolicy: temperror and permerror reply codes and options", "[policyd]") {
    auto o = options();
    o.helo_reject = RejectPolicy::NoCheck;
    o.temperror_defer = true;
    o.permerror_reject = true;
    FakeSpfChecker temp;
    temp.script(Identity::MailFrom, SpfResult::TempError);
    CHECK(decide(o, temp, request()).action == ReplyAction::DeferIfPermit);
    o.defer_if_permit = false;
    auto d = decide(o, temp, request());
    CHECK(d.action == ReplyAction::Defer);
    CHECK(d.reply().to_wire().substr(0, 19) == "action=451 4.7.24 M");
    o.enhanced_status_codes = false;
    CHECK(decide(o, temp, request()).reply().to_wire().substr(0, 19) == "action=451 Message ");
    FakeSpfChecker perm;
    perm.script(Identity::MailFrom, SpfResult::PermError);
    CHECK(decide(o, perm, request()).reply().to_wire().substr(0, 19) == "action=550 Message ");
}

TEST_CASE("SpfPolicy: skip_addresses, IPv4-mapped loopback and the trace header", "[policyd]") {
    FakeSpfChecker spf;
    spf.script(Identity::MailFrom, SpfResult::Fail);
    for (const char* ip : {"127.0.0.1", "::1", "::ffff:127.0.0.2"}) {
        INFO(ip);
        const auto d = decide(options(), spf, request("a@example.org", "mx.example.org", ip));
        CHECK(d.skipped == "skip_addresses");
        CHECK(d.action == ReplyAction::Prepend);
        CHECK(d.header.find("X-Comment: SPF check N/A for local connections - client-ip=") == 0);
    }
    CHECK(spf.calls.empty());
    auto o = options();
    o.header_type = HeaderType::Ar;
    const auto ar = decide(o, spf, request("a@example.org", "h", "127.0.0.1"));
    CHECK(ar.header.find("Authentication-Results: mx.example.net; none (SPF check N/A") == 0);
    o.header_type = HeaderType::None;
    CHECK(decide(o, spf, request("a@example.org", "h", "127.0.0.1")).action == ReplyAction::Dunno);
}

TEST_CASE("SpfPolicy: whitelists skip the check", "[policyd]") {
    FakeSpfChecker spf;
    spf.script(Identity::MailFrom, SpfResult::Fail);
    auto o = options();
    o.whitelist = mw::net::CidrSet::parse("198.51.100.0/24").value();
    o.helo_whitelist = {"relay.example.com"};
    o.domain_whitelist_ptr = {"fwd.example"};

    CHECK(decide(o, spf, request("a@x.example", "h", "198.51.100.7")).skipped == "whitelist");

    auto helo = request("a@x.example", "Relay.Example.COM");
    helo.client_name = "relay.example.com";
    CHECK(decide(o, spf, helo).skipped == "helo_whitelist");
    helo.client_name = "unknown";  // HELO name not confirmed by Postfix: checked as usual
    CHECK(decide(o, spf, helo).skipped.empty());

    auto ptr = request();
    ptr.client_name = "out-3.mail.fwd.example";
    CHECK(decide(o, spf, ptr).skipped == "domain_whitelist_ptr");
    ptr.client_name = "evilfwd.example";
    CHECK(decide(o, spf, ptr).skipped.empty());
    ptr.client_name = "unknown";
    ptr.reverse_client_name = "mail.fwd.example";  // not forward-confirmed: not trusted
    CHECK(decide(o, spf, ptr).skipped.empty());
}

TEST_CASE("SpfPolicy: domain_whitelist checks the client against the domain's SPF", "[policyd]") {
    auto o = options();
    o.domain_whitelist = {"other.example", "trusted.example"};
    FakeSpfChecker spf;
    spf.script(Identity::MailFrom, SpfResult::Pass, "trusted.example");
    spf.script(Identity::MailFrom, SpfResult::Fail, "example.org");
    const auto d = decide(o, spf, request());
    CHECK(d.skipped == "domain_whitelist");
    CHECK(d.header.find("SPF skipped for whitelisted relay domain") != std::string::npos);
    REQUIRE(spf.calls.size() == 2);
    CHECK(spf.calls[1].sender == "postmaster@trusted.example");

    o.domain_whitelist = {"other.example"};
    FakeSpfChecker miss;
    miss.script(Identity::MailFrom, SpfResult::Fail, "example.org");
    CHECK(decide(o, miss, request()).action == ReplyAction::Reject);
}

TEST_CASE("SpfPolicy: SASL clients and missing client addresses are not checked", "[policyd]") {
    FakeSpfChecker spf;
    spf.script(Identity::MailFrom, SpfResult::Fail);
    auto sasl = request();
    sasl.sasl_username = "alice";
    const auto d = decide(options(), spf, sasl);
    CHECK(d.skipped == "sasl");
    CHECK(d.action == ReplyAction::Dunno);
    CHECK(spf.calls.empty());
    auto o = options();
    o.skip_sasl = false;
    CHECK(decide(o, spf, sasl).action == ReplyAction::Reject);

    CHECK(decide(options(), spf, request("a@b.example", "h", "")).skipped == "no_client_address");
    CHECK(decide(options(), spf, request("a@b.example", "h", "junk")).action == ReplyAction::Dunno);
}

TEST_CASE("SpfPolicy: reject_not_pass_domains turns softfail/neutral into rejections",
          "[policyd]") {
    auto o = options();
    o.reject_not_pass_domains = {"example.org"};
    FakeSpfChecker spf;
    spf.script(Identity::MailFrom, SpfResult::SoftFail);
    auto d = decide(o, spf, request("a@sub.example.org"));
    CHECK(d.action == ReplyAction::Reject);
    CHECK(d.text.find("Receiver policy for SPF Softfail") != std::string::npos);
    CHECK(decide(o, spf, request("a@notexample.org")).action == ReplyAction::Prepend);
}

TEST_CASE("SpfPolicy: dry_run accepts with the header and records the refusal", "[policyd]") {
    auto o = options();
    o.dry_run = true;
    FakeSpfChecker spf;
    spf.script(Identity::MailFrom, SpfResult::Fail);
    const auto d = decide(o, spf, request());
    CHECK(d.action == ReplyAction::Prepend);
    CHECK(d.intended == ReplyAction::Reject);
    CHECK(d.dry_run);
    CHECK(d.reply().to_wire().rfind("action=PREPEND Received-SPF: fail", 0) == 0);
    CHECK(has_field(d, "dry_run", "reject"));
    CHECK(has_field(d, "action", "prepend"));
    auto no_header = o;
    no_header.header_type = HeaderType::None;   // no header to add: plain DUNNO
    const auto none = decide(no_header, spf, request());
    CHECK(none.action == ReplyAction::Dunno);
    CHECK(has_field(none, "dry_run", "reject"));
    spf.script(Identity::MailFrom, SpfResult::Pass);
    const auto pass = decide(o, spf, request());
    CHECK(pass.action == ReplyAction::Prepend);  // headers still go in
    CHECK_FALSE(pass.dry_run);
}

TEST_CASE("SpfPolicy: Authentication-Results header and hide_receiver", "[policyd]") {
    auto o = options();
    o.header_type = HeaderType::Ar;
    FakeSpfChecker spf;
    spf.script(Identity::MailFrom, SpfResult::Pass);
    CHECK(decide(o, spf, request()).header ==
          "Authentication-Results: mx.example.net; spf=pass (domain of a@example.org designates "
          "203.0.113.9 as permitted sender) smtp.mailfrom=example.org");
    FakeSpfChecker helo;
    helo.script(Identity::Helo, SpfResult::Pass);
    CHECK(decide(o, helo, request("")).header.find("smtp.helo=mx.example.org") !=
          std::string::npos);

    o.header_type = HeaderType::Spf;
    o.hide_receiver = true;
    const auto hidden = decide(o, spf, request()).header;
    CHECK(hidden.find("receiver=") == std::string::npos);
    CHECK(hidden.find("mx.example.net") == std::string::npos);
}

TEST_CASE("SpfPolicy: log fields for the decision line", "[policyd]") {
    FakeSpfChecker spf;
    spf.script(Identity::Helo, SpfResult::None);
    spf.script(Identity::MailFrom, SpfResult::Fail);
    const auto d = decide(options(), spf, request());
    const std::vector<LogField> want = {
        {"spf", "fail"},
        {"identity", "mailfrom"},
        {"client", "[203.0.113.9]"},
        {"helo", "mx.example.org"},
        {"envelope-from", "<a@example.org>"},
        {"helo-spf", "none"},
        {"mechanism", "-all"},
        {"action", "reject"},
    };
    CHECK(d.log_fields() == want);
    CHECK(d.queue_id == "8045F2AB23");

    auto skipped = decide(options(), spf, request("", "h", "127.0.0.1")).log_fields();
    CHECK(skipped.front() == LogField{"spf", "skipped"});
    CHECK(skipped.back() == LogField{"action", "prepend"});
}

TEST_CASE("SpfPolicy: the MAIL FROM record is prefetched before the HELO check", "[policyd]") {
    FakeSpfChecker spf;
    spf.script(Identity::Helo, SpfResult::Pass);
    spf.script(Identity::MailFrom, SpfResult::Pass);
    decide(options(), spf, request());
    CHECK(spf.events == std::vector<std::string>{"prefetch mailfrom example.org",
                                                 "check helo mx.example.org",
                                                 "check mailfrom example.org"});

    FakeSpfChecker null_sender;
    decide(options(), null_sender, request(""));
    CHECK(null_sender.events == std::vector<std::string>{"check helo mx.example.org"});

    FakeSpfChecker helo_only;
    auto o = options();
    o.mail_from_reject = RejectPolicy::NoCheck;
    decide(o, helo_only, request());
    CHECK(helo_only.events == std::vector<std::string>{"check helo mx.example.org"});
}
