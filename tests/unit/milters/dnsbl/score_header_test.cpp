// The score-only header value.
#include "milters/dnsbl/score_header.hpp"

#include <catch2/catch.hpp>

#include "common/base/limits.hpp"

using namespace mw::dnsbl;

namespace {

SiteOutcome listed(const char* zone, const char* code, int weight) {
    SiteOutcome o;
    o.site.display_zone = zone;
    o.site.weight = weight;
    o.status = DnsblStatus::Listed;
    o.codes.push_back(*mw::net::IpAddress::parse(code));
    return o;
}

}  // namespace

TEST_CASE("score_header: the issue's example", "[dnsbl]") {
    DnsblResult r;
    r.sites.push_back(listed("zen.spamhaus.org", "127.0.0.4", 3));
    SiteOutcome quiet;
    quiet.site.display_zone = "bl.spamcop.net";
    quiet.status = DnsblStatus::NotListed;
    r.sites.push_back(quiet);
    r.sites.push_back(listed("list.dnswl.org", "127.0.10.2", -2));
    r.score = 4;  // as the checker would sum it with another list not shown here
    CHECK(render_score_header(r) ==
          "score=4; zen.spamhaus.org=127.0.0.4*3; list.dnswl.org=127.0.10.2*-2");
}

TEST_CASE("score_header: DQS zones show the placeholder; failures are named", "[dnsbl]") {
    DnsblResult r;
    auto dqs = listed("$dqs_key.zen.dq.spamhaus.net", "127.0.0.2", 3);
    dqs.site.query_zone = "secretkey.zen.dq.spamhaus.net";
    dqs.site.secret = "secretkey";
    r.sites.push_back(dqs);
    SiteOutcome failed;
    failed.site.display_zone = "bl.example";
    failed.status = DnsblStatus::Failed;
    r.sites.push_back(failed);
    r.score = 3;
    auto h = render_score_header(r);
    CHECK(h == "score=3; $dqs_key.zen.dq.spamhaus.net=127.0.0.2*3; bl.example=error");
    CHECK(h.find("secretkey") == std::string::npos);
}

TEST_CASE("score_header: bounded", "[dnsbl]") {
    DnsblResult r;
    for (int i = 0; i < 64; ++i)
        r.sites.push_back(listed("a-rather-long-zone-name.example.org", "127.0.0.2", 1));
    r.score = 64;
    auto h = render_score_header(r);
    CHECK(h.size() <= mw::limits::kMaxDnsblScoreHeader);
    CHECK(h.rfind("score=64; ", 0) == 0);
}
