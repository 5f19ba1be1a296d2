#include <catch2/catch.hpp>

#include "policyd/spf_header.hpp"

using namespace mw::policyd;
using mw::spf::Identity;
using mw::spf::SpfOutcome;
using mw::spf::SpfResult;

namespace {

SpfOutcome outcome(SpfResult r) {
    SpfOutcome o;
    o.result = r;
    o.domain = "example.org";
    return o;
}

}  // namespace

TEST_CASE("spf_comment: one text per result, receiver optional", "[policyd]") {
    struct Row {
        SpfResult result;
        const char* text;
    };
    const Row rows[] = {
        {SpfResult::Pass, "mx: domain of a@example.org designates 192.0.2.1 as permitted sender"},
        {SpfResult::Fail,
         "mx: domain of a@example.org does not designate 192.0.2.1 as permitted sender"},
        {SpfResult::SoftFail, "mx: domain of transitioning a@example.org does not designate "
                              "192.0.2.1 as permitted sender"},
        {SpfResult::Neutral, "mx: 192.0.2.1 is neither permitted nor denied by domain of "
                             "a@example.org"},
        {SpfResult::None, "mx: domain of a@example.org does not designate permitted sender hosts"},
        {SpfResult::TempError, "mx: temporary error in processing during lookup of a@example.org"},
        {SpfResult::PermError, "mx: permanent error in processing domain of a@example.org"},
    };
    for (const auto& row : rows)
        CHECK(spf_comment(outcome(row.result), "a@example.org", "192.0.2.1", "mx") == row.text);
    CHECK(spf_comment(outcome(SpfResult::Pass), "a@b", "192.0.2.1", "") ==
          "domain of a@b designates 192.0.2.1 as permitted sender");
}

TEST_CASE("spf_result_header: problem= for errors, mechanism= for matches", "[policyd]") {
    PolicyOptions o;
    o.receiver = "mx.example.net";
    const HeaderContext ctx{"2001:db8::9", "mx.example.org", "a@example.org"};
    auto perm = outcome(SpfResult::PermError);
    perm.problem = "include loop";
    perm.mechanism = "include:x";
    CHECK(spf_result_header(o, Identity::MailFrom, perm, ctx) ==
          "Received-SPF: permerror (mx.example.net: permanent error in processing domain of "
          "a@example.org) identity=mailfrom; client-ip=\"2001:db8::9\"; helo=mx.example.org; "
          "envelope-from=\"a@example.org\"; receiver=mx.example.net; problem=\"include loop\";");
    auto fail = outcome(SpfResult::Fail);
    fail.mechanism = "-all";
    fail.problem = "ignored";
    CHECK(spf_result_header(o, Identity::Helo, fail, ctx).find(
              "identity=helo; client-ip=\"2001:db8::9\"; helo=mx.example.org; "
              "envelope-from=\"a@example.org\"; receiver=mx.example.net; mechanism=-all;") !=
          std::string::npos);
    o.header_type = HeaderType::None;
    CHECK(spf_result_header(o, Identity::Helo, fail, ctx).empty());
    CHECK(skip_trace_header(o, "why", ctx).empty());
}

TEST_CASE("spf_result_header: Authentication-Results with reason for errors", "[policyd]") {
    PolicyOptions o;
    o.header_type = HeaderType::Ar;
    o.authserv_id = "mx.example.net";
    auto temp = outcome(SpfResult::TempError);
    temp.problem = "DNS timeout";
    const HeaderContext ctx{"192.0.2.1", "h.example", "a@example.org"};
    CHECK(spf_result_header(o, Identity::MailFrom, temp, ctx) ==
          "Authentication-Results: mx.example.net; spf=temperror (temporary error in processing "
          "during lookup of a@example.org) reason=\"DNS timeout\" smtp.mailfrom=example.org");
}
