// ReplyTemplate: Postfix's mac_expand forms, the default_rbl_reply text, filters and bounds.
#include "milters/dnsbl/reply_template.hpp"

#include <catch2/catch.hpp>

#include "common/base/limits.hpp"
#include "milters/dnsbl/dnsbl_result.hpp"

using namespace mw::dnsbl;

namespace {

std::string expand(const std::string& text, const ReplyVariables& vars) {
    auto t = ReplyTemplate::parse(text);
    if (!t) FAIL(t.error().message);
    return t->expand(vars);
}

ReplyVariables listing_vars(const char* reason) {
    ReplyVariables v;
    v.rbl_class = "Client host";
    v.rbl_what = "192.0.2.1";
    v.rbl_domain = "zen.spamhaus.org";
    v.rbl_reason = reason;
    return v;
}

}  // namespace

TEST_CASE("ReplyTemplate: Postfix's default_rbl_reply, exactly", "[dnsbl]") {
    CHECK(kDefaultRblReply ==
          "$rbl_code Service unavailable; $rbl_class [$rbl_what] blocked using "
          "$rbl_domain${rbl_reason?; $rbl_reason}");
    const std::string tmpl(kDefaultRblReply);
    CHECK(expand(tmpl, listing_vars("https://www.spamhaus.org/query/ip/192.0.2.1")) ==
          "554 Service unavailable; Client host [192.0.2.1] blocked using zen.spamhaus.org; "
          "https://www.spamhaus.org/query/ip/192.0.2.1");
    CHECK(expand(tmpl, listing_vars("")) ==
          "554 Service unavailable; Client host [192.0.2.1] blocked using zen.spamhaus.org");
}

TEST_CASE("ReplyTemplate: set_listing fills the rbl_ variables from an outcome", "[dnsbl]") {
    SiteOutcome o;
    o.site.display_zone = "$dqs_key.zen.dq.spamhaus.net";
    o.site.target = DnsblTarget::HeloName;
    o.what = "bad.example";
    o.reason = "why";
    ReplyVariables v;
    v.set_listing(o);
    CHECK(expand(std::string(kDefaultRblReply), v) ==
          "554 Service unavailable; Helo command [bad.example] blocked using "
          "$dqs_key.zen.dq.spamhaus.net; why");
}

TEST_CASE("ReplyTemplate: every form", "[dnsbl]") {
    ReplyVariables v;
    v.client_address = "192.0.2.1";
    v.client_name = "";
    v.helo_name = "helo.example";
    v.sender = "a@b.example";
    v.recipient = "r@c.example";
    v.reverse_client_name = "rev.example";
    v.rbl_reason = "txt";
    CHECK(expand("$client_address ${helo_name} $(sender)", v) ==
          "192.0.2.1 helo.example a@b.example");
    CHECK(expand("${client_name?named}${client_name:unnamed}", v) == "unnamed");
    CHECK(expand("${helo_name?[$helo_name]}${helo_name:none}", v) == "[helo.example]");
    CHECK(expand("$$5 $rbl_txt=$rbl_reason $recipient $reverse_client_name", v) ==
          "$5 txt=txt r@c.example rev.example");
    CHECK(expand("${sender?${helo_name?both}}", v) == "both");
    CHECK(expand("$helo_name.", v) == "helo.example.");
    CHECK(expand("", v).empty());
}

TEST_CASE("ReplyTemplate: values are filtered: no CR, LF or control characters", "[dnsbl]") {
    ReplyVariables v;
    v.rbl_reason = "line1\r\nline2\x01\x7f\xc3\xa9\tend";
    CHECK(expand("550 $rbl_reason", v) == "550 line1__line2____\tend");
}

TEST_CASE("ReplyTemplate: output is bounded", "[dnsbl]") {
    ReplyVariables v;
    v.rbl_reason = std::string(5000, 'x');
    auto out = expand("554 $rbl_reason $rbl_reason", v);
    CHECK(out.size() == mw::limits::kMaxDnsblReply);
}

TEST_CASE("ReplyTemplate: bad templates are errors", "[dnsbl]") {
    for (const char* bad :
         {"$", "554 $", "$unknown", "${unknown}", "${rbl_code", "$(rbl_code", "${}",
          "${rbl_code!x}", "$-", "${rbl_reason?${nope}}", "a\nb", "a\rb", "${?x}", "$ rbl_code"}) {
        INFO(bad);
        CHECK_FALSE(ReplyTemplate::parse(bad));
    }
    auto e = ReplyTemplate::parse("554 $nosuch");
    REQUIRE_FALSE(e);
    CHECK(e.error().message.find("nosuch") != std::string::npos);
}

TEST_CASE("ReplyTemplate: size and nesting bounds, at the limit and one past it", "[dnsbl]") {
    CHECK(ReplyTemplate::parse(std::string(mw::limits::kMaxDnsblReplyTemplate, 'a')));
    CHECK_FALSE(ReplyTemplate::parse(std::string(mw::limits::kMaxDnsblReplyTemplate + 1, 'a')));
    auto nested = [](int depth) {
        std::string s = "x";
        for (int i = 0; i < depth; ++i) s = "${rbl_code?" + s + "}";
        return s;
    };
    CHECK(ReplyTemplate::parse(nested(mw::limits::kMaxDnsblTemplateDepth)));
    CHECK_FALSE(ReplyTemplate::parse(nested(mw::limits::kMaxDnsblTemplateDepth + 1)));
    ReplyVariables v;
    CHECK(expand(nested(mw::limits::kMaxDnsblTemplateDepth), v) == "x");
}
