#include <catch2/catch.hpp>

#include <string>

#include <fmt/format.h>

#include "common/base/limits.hpp"
#include "common/spf/spf_evaluator.hpp"
#include "tests/support/fake_resolver.hpp"

using mw::Deadline;
using mw::dns::Rcode;
using mw::dns::RrType;
using mw::net::IpAddress;
using mw::spf::Identity;
using mw::spf::SpfEvaluator;
using mw::spf::SpfOutcome;
using mw::spf::SpfRequest;
using mw::spf::SpfResult;
using mw::test::FakeResolver;

namespace {

SpfOutcome check(mw::dns::Resolver& dns, const char* ip, const std::string& sender,
                 const std::string& helo = "mail.example.net",
                 Identity identity = Identity::MailFrom) {
    mw::spf::SpfEvaluatorOptions options;
    options.now = [] { return int64_t{1000}; };
    SpfEvaluator evaluator(dns, options);
    SpfRequest req;
    req.client = *IpAddress::parse(ip);
    req.helo = helo;
    req.sender = sender;
    req.identity = identity;
    return evaluator.check(req, Deadline::after(std::chrono::seconds(5)));
}

// Answers nothing: every query runs into the caller's deadline.
class SilentResolver : public mw::dns::Resolver {
public:
    QueryId submit(const mw::dns::Question&, Deadline, Callback) override { return 0; }
};

}  // namespace

TEST_CASE("SpfEvaluator: ip4 pass fills the outcome", "[spf]") {
    FakeResolver dns;
    dns.add_txt("example.com", "v=spf1 ip4:192.0.2.0/24 -all", 600);
    auto out = check(dns, "192.0.2.10", "alice@example.com");
    CHECK(out.result == SpfResult::Pass);
    CHECK(out.mechanism == "ip4:192.0.2.0/24");
    CHECK(out.domain == "example.com");
    CHECK(out.sender == "alice@example.com");
    CHECK(out.dns_lookups == 0);
    CHECK(out.ttl == 600);
    CHECK(std::string(mw::spf::to_string(out.result)) == "pass");
}

TEST_CASE("SpfEvaluator: fail carries the default or the exp= explanation", "[spf]") {
    FakeResolver dns;
    dns.add_txt("example.com", "v=spf1 -all");
    dns.add_txt("exp.example.org", "v=spf1 -all exp=why.%{d}");
    dns.add_txt("why.exp.example.org", "%{i} may not send for %{o} as %{l}");
    auto plain = check(dns, "192.0.2.1", "bob@example.com");
    CHECK(plain.result == SpfResult::Fail);
    CHECK(plain.mechanism == "-all");
    CHECK(plain.explanation == "SPF fail - not authorized");
    auto exp = check(dns, "192.0.2.1", "bob@exp.example.org");
    CHECK(exp.explanation == "192.0.2.1 may not send for exp.example.org as bob");
}

TEST_CASE("SpfEvaluator: exp= trouble falls back to the default explanation", "[spf]") {
    FakeResolver dns;
    dns.add_txt("a.example.com", "v=spf1 -all exp=gone.example.com");
    dns.add_txt("b.example.com", "v=spf1 -all exp=slow.example.com");
    dns.set_failure("slow.example.com", RrType::TXT, Rcode::Timeout);
    dns.add_txt("c.example.com", "v=spf1 -all exp=two.example.com");
    dns.add_txt("two.example.com", "one");
    dns.add_txt("two.example.com", "two");
    for (const char* d : {"a.example.com", "b.example.com", "c.example.com"}) {
        auto out = check(dns, "192.0.2.1", std::string("x@") + d);
        CHECK(out.result == SpfResult::Fail);
        CHECK(out.explanation == "SPF fail - not authorized");
    }
}

TEST_CASE("SpfEvaluator: identities per RFC 7208 sections 2.3, 2.4 and 4.3", "[spf]") {
    FakeResolver dns;
    dns.add_txt("helo.example.net", "v=spf1 -all exp=e.example.net");
    dns.add_txt("e.example.net", "%{s}");
    dns.add_txt("example.com", "v=spf1 -all exp=e.example.net");

    auto helo = check(dns, "192.0.2.1", "a@example.com", "helo.example.net", Identity::Helo);
    CHECK(helo.domain == "helo.example.net");
    CHECK(helo.sender == "postmaster@helo.example.net");
    CHECK(helo.explanation == "postmaster@helo.example.net");

    auto null_sender = check(dns, "192.0.2.1", "", "helo.example.net");
    CHECK(null_sender.result == SpfResult::Fail);
    CHECK(null_sender.sender == "postmaster@helo.example.net");

    auto no_local = check(dns, "192.0.2.1", "@example.com");
    CHECK(no_local.sender == "postmaster@example.com");
    CHECK(no_local.explanation == "postmaster@example.com");

    auto last_at = check(dns, "192.0.2.1", "\"a@b\"@example.com");
    CHECK(last_at.domain == "example.com");
    CHECK(std::string(mw::spf::to_string(Identity::Helo)) == "helo");
    CHECK(std::string(mw::spf::to_string(Identity::MailFrom)) == "mailfrom");
}

TEST_CASE("SpfEvaluator: record selection (section 4.5)", "[spf]") {
    FakeResolver dns;
    dns.add_txt("none.example.com", "some other text");
    dns.add_txt("two.example.com", "v=spf1 +all");
    dns.add_txt("two.example.com", "v=spf1 -all");
    dns.add_txt("case.example.com", "V=Spf1 +all");
    dns.add_txt("bad.example.com", "v=spf1 foo:bar");
    dns.set_failure("slow.example.com", RrType::TXT, Rcode::Timeout);
    dns.set_failure("broken.example.com", RrType::TXT, Rcode::ServFail);
    CHECK(check(dns, "192.0.2.1", "a@none.example.com").result == SpfResult::None);
    CHECK(check(dns, "192.0.2.1", "a@nxdomain.example.com").result == SpfResult::None);
    CHECK(check(dns, "192.0.2.1", "a@two.example.com").result == SpfResult::PermError);
    CHECK(check(dns, "192.0.2.1", "a@case.example.com").result == SpfResult::Pass);
    auto bad = check(dns, "192.0.2.1", "a@bad.example.com");
    CHECK(bad.result == SpfResult::PermError);
    CHECK(bad.problem.find("foo:bar") != std::string::npos);
    auto slow = check(dns, "192.0.2.1", "a@slow.example.com");
    CHECK(slow.result == SpfResult::TempError);
    CHECK_FALSE(slow.problem.empty());
    CHECK(check(dns, "192.0.2.1", "a@broken.example.com").result == SpfResult::TempError);
}

TEST_CASE("SpfEvaluator: malformed domains give none without DNS (section 4.3)", "[spf]") {
    FakeResolver dns;
    const std::string malformed[] = {"localhost", "[192.0.2.1]", "a..example.com",
                                     std::string(64, 'a') + ".example.com", ""};
    for (const auto& d : malformed) {
        INFO(d);
        auto out = check(dns, "192.0.2.1", "x@" + d);
        CHECK(out.result == SpfResult::None);
        CHECK_FALSE(out.problem.empty());
    }
    CHECK(dns.queries() == 0);
}

TEST_CASE("SpfEvaluator: a, mx, ptr, exists and v4-mapped clients", "[spf]") {
    FakeResolver dns;
    dns.add_txt("a.example.com", "v=spf1 a/28 -all");
    dns.add_a("a.example.com", "192.0.2.1");
    dns.add_txt("mx.example.com", "v=spf1 mx:mail.example.com//64 -all");
    dns.add_mx("mail.example.com", 10, "mx1.example.com");
    dns.add_mx("mail.example.com", 20, "mx2.example.com");
    dns.add_a("mx2.example.com", "198.51.100.7");
    dns.add_a("mx2.example.com", "2001:db8:1::1");
    dns.add_txt("ptr.example.com", "v=spf1 ptr -all");
    dns.add_ptr("7.100.51.198.in-addr.arpa", "host.ptr.example.com");
    dns.add_ptr("7.100.51.198.in-addr.arpa", "liar.ptr.example.com");
    dns.add_a("host.ptr.example.com", "198.51.100.7");
    dns.add_txt("exists.example.com", "v=spf1 exists:%{ir}.allow.example.com -all");
    dns.add_a("7.100.51.198.allow.example.com", "127.0.0.2");

    CHECK(check(dns, "192.0.2.14", "x@a.example.com").result == SpfResult::Pass);
    CHECK(check(dns, "192.0.2.17", "x@a.example.com").result == SpfResult::Fail);
    CHECK(check(dns, "::ffff:192.0.2.14", "x@a.example.com").result == SpfResult::Pass);
    CHECK(check(dns, "198.51.100.7", "x@mx.example.com").result == SpfResult::Pass);
    CHECK(check(dns, "2001:db8:1::ffff", "x@mx.example.com").result == SpfResult::Pass);
    CHECK(check(dns, "2001:db8:2::1", "x@mx.example.com").result == SpfResult::Fail);
    auto ptr = check(dns, "198.51.100.7", "x@ptr.example.com");
    CHECK(ptr.result == SpfResult::Pass);
    CHECK(ptr.dns_lookups == 1);
    CHECK(check(dns, "198.51.100.8", "x@ptr.example.com").result == SpfResult::Fail);
    CHECK(check(dns, "198.51.100.7", "x@exists.example.com").result == SpfResult::Pass);
    CHECK(check(dns, "198.51.100.8", "x@exists.example.com").result == SpfResult::Fail);
}

TEST_CASE("SpfEvaluator: include results per section 5.2", "[spf]") {
    FakeResolver dns;
    dns.add_txt("pass.example.com", "v=spf1 +all");
    dns.add_txt("fail.example.com", "v=spf1 -all");
    dns.add_txt("temp.example.com", "v=spf1 a:slow.example.com -all");
    dns.set_failure("slow.example.com", RrType::A, Rcode::Timeout);
    dns.add_txt("perm.example.com", "v=spf1 bogus");
    dns.add_txt("i1.example.com", "v=spf1 include:pass.example.com -all");
    dns.add_txt("i2.example.com", "v=spf1 include:fail.example.com ?all");
    dns.add_txt("i3.example.com", "v=spf1 include:temp.example.com +all");
    dns.add_txt("i4.example.com", "v=spf1 include:perm.example.com +all");
    dns.add_txt("i5.example.com", "v=spf1 include:nothing.example.com +all");
    auto pass = check(dns, "192.0.2.1", "x@i1.example.com");
    CHECK(pass.result == SpfResult::Pass);
    CHECK(pass.mechanism == "include:pass.example.com");
    CHECK(pass.dns_lookups == 1);
    CHECK(check(dns, "192.0.2.1", "x@i2.example.com").result == SpfResult::Neutral);
    CHECK(check(dns, "192.0.2.1", "x@i3.example.com").result == SpfResult::TempError);
    CHECK(check(dns, "192.0.2.1", "x@i4.example.com").result == SpfResult::PermError);
    CHECK(check(dns, "192.0.2.1", "x@i5.example.com").result == SpfResult::PermError);
}

TEST_CASE("SpfEvaluator: redirect= and its explanation (sections 6.1, 6.2)", "[spf]") {
    FakeResolver dns;
    dns.add_txt("r.example.com", "v=spf1 ip4:198.51.100.0/24 redirect=t.example.com exp=x.example.com");
    dns.add_txt("x.example.com", "from r");
    dns.add_txt("t.example.com", "v=spf1 -all exp=y.example.com");
    dns.add_txt("y.example.com", "from %{d}");
    dns.add_txt("r2.example.com", "v=spf1 redirect=nothing.example.com");
    dns.add_txt("r3.example.com", "v=spf1 +all redirect=t.example.com");
    CHECK(check(dns, "198.51.100.1", "x@r.example.com").result == SpfResult::Pass);
    auto redirected = check(dns, "192.0.2.1", "x@r.example.com");
    CHECK(redirected.result == SpfResult::Fail);
    CHECK(redirected.explanation == "from t.example.com");
    CHECK(redirected.dns_lookups == 1);
    CHECK(check(dns, "192.0.2.1", "x@r2.example.com").result == SpfResult::PermError);
    CHECK(check(dns, "192.0.2.1", "x@r3.example.com").result == SpfResult::Pass);
    CHECK(check(dns, "192.0.2.1", "x@none.example.com").result == SpfResult::None);
}

TEST_CASE("SpfEvaluator: DNS-querying terms at and past the limit of 10", "[spf][limits]") {
    FakeResolver dns;
    std::string at = "v=spf1";
    for (int i = 0; i < mw::limits::kMaxSpfDnsTerms; ++i) at += fmt::format(" a:h{}.example.com", i);
    for (int i = 0; i <= mw::limits::kMaxSpfDnsTerms; ++i) dns.add_a(fmt::format("h{}.example.com", i), "198.51.100.1");
    dns.add_txt("at.example.com", at + " -all");
    dns.add_txt("past.example.com", at + " a:h10.example.com -all");
    auto ok = check(dns, "192.0.2.1", "x@at.example.com");
    CHECK(ok.result == SpfResult::Fail);
    CHECK(ok.dns_lookups == 10);
    auto over = check(dns, "192.0.2.1", "x@past.example.com");
    CHECK(over.result == SpfResult::PermError);
    CHECK(over.mechanism == "a:h10.example.com");
    // A match before the limit is reached still counts (evaluation stops there).
    CHECK(check(dns, "198.51.100.1", "x@past.example.com").result == SpfResult::Pass);
}

TEST_CASE("SpfEvaluator: the term limit is shared across include and redirect", "[spf][limits]") {
    FakeResolver dns;
    // A chain of includes: each level costs one term.
    for (int i = 0; i < 12; ++i) {
        dns.add_txt(fmt::format("l{}.example.com", i),
                    fmt::format("v=spf1 include:l{}.example.com", i + 1));
    }
    auto chain = check(dns, "192.0.2.1", "x@l0.example.com");
    CHECK(chain.result == SpfResult::PermError);
    CHECK(chain.dns_lookups == 11);
    // A redirect loop ends at the limit, not in a stack overflow.
    dns.add_txt("loop.example.com", "v=spf1 redirect=loop.example.com");
    CHECK(check(dns, "192.0.2.1", "x@loop.example.com").result == SpfResult::PermError);
}

TEST_CASE("SpfEvaluator: void lookups at and past the limit of 2", "[spf][limits]") {
    FakeResolver dns;
    dns.add_txt("at.example.com", "v=spf1 a:v1.example.com mx:v2.example.com -all");
    dns.add_txt("past.example.com",
                "v=spf1 a:v1.example.com mx:v2.example.com exists:v3.example.com -all");
    CHECK(check(dns, "192.0.2.1", "x@at.example.com").result == SpfResult::Fail);
    auto past = check(dns, "192.0.2.1", "x@past.example.com");
    CHECK(past.result == SpfResult::PermError);
    CHECK(past.problem.find("void") != std::string::npos);
}

TEST_CASE("SpfEvaluator: MX names at and past the limit of 10", "[spf][limits]") {
    FakeResolver dns;
    for (int i = 0; i <= mw::limits::kMaxSpfMxNames; ++i) {
        const auto host = fmt::format("mx{}.example.com", i);
        if (i < mw::limits::kMaxSpfMxNames) dns.add_mx("at.example.com", 10, host);
        dns.add_mx("past.example.com", 10, host);
        dns.add_a(host, fmt::format("192.0.2.{}", i + 1));
    }
    dns.add_txt("at.example.com", "v=spf1 mx -all");
    dns.add_txt("past.example.com", "v=spf1 mx -all");
    CHECK(check(dns, "192.0.2.10", "x@at.example.com").result == SpfResult::Pass);
    CHECK(check(dns, "192.0.2.1", "x@past.example.com").result == SpfResult::PermError);
}

TEST_CASE("SpfEvaluator: only the first 10 PTR names are looked at", "[spf][limits]") {
    FakeResolver dns;
    dns.add_txt("example.com", "v=spf1 ptr -all");
    for (int i = 0; i <= mw::limits::kMaxSpfPtrNames; ++i) {
        dns.add_ptr("1.2.0.192.in-addr.arpa", fmt::format("h{}.example.com", i));
        dns.add_ptr("2.2.0.192.in-addr.arpa", fmt::format("h{}.example.com", i));
    }
    dns.add_a("h9.example.com", "192.0.2.1");    // the 10th name: looked at
    dns.add_a("h10.example.com", "192.0.2.2");   // the 11th name: ignored
    CHECK(check(dns, "192.0.2.1", "x@example.com").result == SpfResult::Pass);
    CHECK(check(dns, "192.0.2.2", "x@example.com").result == SpfResult::Fail);
}

TEST_CASE("SpfEvaluator: DNS failures in mechanisms are temperror", "[spf]") {
    FakeResolver dns;
    dns.add_txt("a.example.com", "v=spf1 a:t.example.com -all");
    dns.add_txt("mx.example.com", "v=spf1 mx:m.example.com -all");
    dns.add_mx("m.example.com", 10, "t.example.com");
    dns.add_txt("ex.example.com", "v=spf1 exists:t.example.com -all");
    dns.set_failure("t.example.com", RrType::A, Rcode::Timeout);
    for (const char* d : {"a.example.com", "mx.example.com", "ex.example.com"}) {
        INFO(d);
        auto out = check(dns, "192.0.2.1", std::string("x@") + d);
        CHECK(out.result == SpfResult::TempError);
        CHECK(out.problem.find("TIMEOUT") != std::string::npos);
    }
}

TEST_CASE("SpfEvaluator: a resolver that never answers gives temperror by the deadline", "[spf]") {
    SilentResolver silent;
    SpfEvaluator evaluator(silent);
    SpfRequest req;
    req.client = *IpAddress::parse("192.0.2.1");
    req.helo = "mail.example.net";
    req.sender = "x@example.com";
    const auto start = mw::Clock::now();
    auto out = evaluator.check(req, Deadline::after(std::chrono::milliseconds(50)));
    CHECK(out.result == SpfResult::TempError);
    CHECK(mw::Clock::now() - start < std::chrono::seconds(5));
}

TEST_CASE("SpfEvaluator: CVE-2023-42118-style macro records just give a result", "[spf]") {
    FakeResolver dns;
    std::string hostile = "v=spf1 exists:";
    for (int i = 0; i < 800; ++i) hostile += "%{d}";
    hostile += "." + std::string(200, 'a') + ".example.com -all";
    dns.add_txt("example.com", hostile.substr(0, mw::limits::kMaxSpfRecord));
    dns.add_txt("b.example.com", "v=spf1 exists:%{d}%{d}%{d}%{d}%{d}%{d}%{d}%{d}%{d}%{d}.x.example.com -all");
    dns.add_txt("c.example.com", "v=spf1 exists:%{l}%{l}%{l}%{l}%{l}%{l}%{l}%{l}.%{d}.example.com -all");
    auto out = check(dns, "192.0.2.1", "x@example.com");
    CHECK(out.result == SpfResult::PermError);
    CHECK(out.problem.find("expansion") != std::string::npos);
    CHECK(check(dns, "192.0.2.1", "x@b.example.com").result == SpfResult::Fail);
    const std::string big_local(64, 'l');
    CHECK(check(dns, "192.0.2.1", big_local + "@c.example.com").result == SpfResult::Fail);
}

TEST_CASE("SpfEvaluator: outcome TTL is the smallest TTL used", "[spf]") {
    FakeResolver dns;
    dns.add_txt("example.com", "v=spf1 a:h.example.com -all", 3600);
    dns.add_a("h.example.com", "192.0.2.1", 120);
    auto out = check(dns, "192.0.2.1", "x@example.com");
    CHECK(out.result == SpfResult::Pass);
    CHECK(out.ttl == 120);
}

TEST_CASE("SpfEvaluator: explanation at and past kMaxSpfExplanation, non-ASCII", "[spf][limits]") {
    FakeResolver dns;
    dns.add_txt("at.example.com", "v=spf1 -all exp=at.exp.example.com");
    dns.add_txt("at.exp.example.com", std::string(mw::limits::kMaxSpfExplanation, 'e'));
    dns.add_txt("past.example.com", "v=spf1 -all exp=past.exp.example.com");
    dns.add_txt("past.exp.example.com", std::string(mw::limits::kMaxSpfExplanation + 1, 'e'));
    dns.add_txt("utf8.example.com", "v=spf1 -all exp=utf8.exp.example.com");
    dns.add_txt("utf8.exp.example.com", "caf\xc3\xa9");
    CHECK(check(dns, "192.0.2.1", "x@at.example.com").explanation.size() ==
          mw::limits::kMaxSpfExplanation);
    CHECK(check(dns, "192.0.2.1", "x@past.example.com").explanation.size() ==
          mw::limits::kMaxSpfExplanation);
    CHECK(check(dns, "192.0.2.1", "x@utf8.example.com").explanation == "SPF fail - not authorized");
}

namespace {

// Keeps the questions and never answers.
class RecordingResolver : public mw::dns::Resolver {
public:
    QueryId submit(const mw::dns::Question& q, Deadline, Callback) override {
        questions.push_back(q);
        return questions.size();
    }
    std::vector<mw::dns::Question> questions;
};

}  // namespace

TEST_CASE("SpfEvaluator: prefetch submits the checked domain's TXT query and returns",
          "[spf]") {
    RecordingResolver dns;
    SpfEvaluator evaluator(dns);
    SpfRequest req;
    req.client = *IpAddress::parse("192.0.2.1");
    req.helo = "mail.example.net";
    req.sender = "someone@Example.ORG";
    evaluator.prefetch(req, Deadline::after(std::chrono::seconds(5)));
    req.sender.clear();  // null sender: postmaster@HELO is checked
    evaluator.prefetch(req, Deadline::after(std::chrono::seconds(5)));
    REQUIRE(dns.questions.size() == 2);
    CHECK(dns.questions[0].name == "Example.ORG");
    CHECK(dns.questions[0].type == RrType::TXT);
    CHECK(dns.questions[1].name == "mail.example.net");
    CHECK(dns.questions[1].type == RrType::TXT);
}
