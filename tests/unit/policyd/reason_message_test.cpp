#include <catch2/catch.hpp>

#include "policyd/reason_message.hpp"

using namespace mw::policyd;
using mw::spf::Identity;
using mw::spf::SpfOutcome;
using mw::spf::SpfResult;

TEST_CASE("expand_template: known names replaced, others kept", "[policyd]") {
    const TemplateValues v = {{"a", "1"}, {"b", "{a}"}};
    CHECK(expand_template("x{a}y{b}z", v) == "x1y{a}z");  // values are not re-expanded
    CHECK(expand_template("{c} {a", v) == "{c} {a");
    CHECK(expand_template("{{a}}", v) == "{1}");
    CHECK(expand_template("", v).empty());
    CHECK(expand_template("}{", v) == "}{");
}

TEST_CASE("spf_reason: per result", "[policyd]") {
    SpfOutcome o;
    o.result = SpfResult::Fail;
    CHECK(spf_reason(o, false) == "SPF fail - not authorized");
    o.explanation = "See http://example.org/why";
    CHECK(spf_reason(o, false) == "See http://example.org/why");
    o.result = SpfResult::PermError;
    o.problem = "void lookup limit";
    CHECK(spf_reason(o, false) == "SPF permanent error: void lookup limit");
    o.result = SpfResult::SoftFail;
    CHECK(spf_reason(o, true) == "Receiver policy for SPF Softfail");
    o.result = SpfResult::TempError;
    o.problem.clear();
    CHECK(spf_reason(o, false) == "SPF temporary error");
}

TEST_CASE("reason_message: policyd-spf's default text", "[policyd]") {
    PolicyOptions opt;
    opt.receiver = "mx.example.net";
    const ReasonInput in{Identity::MailFrom, "a@example.org", "203.0.113.9",
                         "SPF fail - not authorized", false};
    CHECK(reason_message(opt, in) ==
          "Message rejected due to: SPF fail - not authorized. Please see "
          "https://www.open-spf.org/Why?s=mfrom;id=a@example.org;ip=203.0.113.9;r=mx.example.net");
    opt.hide_receiver = true;
    opt.reason_message = "{rejectdefer}: {spf} ({url})";
    opt.reason_url = "{scope}/{receiver}";
    const ReasonInput helo{Identity::Helo, "h.example", "192.0.2.1", "x {url}", true};
    CHECK(reason_message(opt, helo) == "deferred: x {url} (helo/<UNKNOWN>)");
}
