// DnsblResult: postscreen scoring verdicts, thresholds, all-failed.
#include "milters/dnsbl/dnsbl_result.hpp"

#include <catch2/catch.hpp>

using namespace mw::dnsbl;

namespace {

SiteOutcome outcome(DnsblStatus status, int weight, const char* zone = "z.example") {
    SiteOutcome o;
    o.site.display_zone = zone;
    o.site.weight = weight;
    o.status = status;
    return o;
}

DnsblResult result_of(std::vector<SiteOutcome> sites) {
    DnsblResult r;
    r.sites = std::move(sites);
    for (const auto& s : r.sites) {
        r.score += s.score();
        if (s.score() < 0) r.allowlist_score += s.score();
    }
    return r;
}

}  // namespace

TEST_CASE("DnsblResult: only listed entries score", "[dnsbl]") {
    CHECK(outcome(DnsblStatus::Listed, 3).score() == 3);
    CHECK(outcome(DnsblStatus::NotListed, 3).score() == 0);
    CHECK(outcome(DnsblStatus::Failed, 3).score() == 0);
    CHECK(outcome(DnsblStatus::Skipped, 3).score() == 0);
}

TEST_CASE("DnsblResult: verdict against dnsbl_threshold (default 1)", "[dnsbl]") {
    DnsblThresholds defaults;
    CHECK(result_of({}).verdict(defaults) == DnsblVerdict::Pass);
    CHECK(result_of({outcome(DnsblStatus::Listed, 1)}).verdict(defaults) == DnsblVerdict::Blocked);
    DnsblThresholds three{3, 0};
    CHECK(result_of({outcome(DnsblStatus::Listed, 2)}).verdict(three) == DnsblVerdict::Pass);
    CHECK(result_of({outcome(DnsblStatus::Listed, 2), outcome(DnsblStatus::Listed, 1)})
              .verdict(three) == DnsblVerdict::Blocked);
    // An allow list offsets a block list.
    CHECK(result_of({outcome(DnsblStatus::Listed, 3), outcome(DnsblStatus::Listed, -2)})
              .verdict(three) == DnsblVerdict::Pass);
}

TEST_CASE("DnsblResult: allowlisting only with a negative allowlist threshold", "[dnsbl]") {
    auto r = result_of({outcome(DnsblStatus::Listed, -2)});
    CHECK(r.score == -2);
    CHECK(r.allowlist_score == -2);
    CHECK(r.verdict({1, 0}) == DnsblVerdict::Pass);
    CHECK(r.verdict({1, -2}) == DnsblVerdict::Allowlisted);
    CHECK(r.verdict({1, -3}) == DnsblVerdict::Pass);
}

TEST_CASE("DnsblResult: all_failed needs every asked list to fail", "[dnsbl]") {
    CHECK_FALSE(result_of({}).all_failed());
    CHECK_FALSE(result_of({outcome(DnsblStatus::Skipped, 1)}).all_failed());
    CHECK(result_of({outcome(DnsblStatus::Failed, 1), outcome(DnsblStatus::Skipped, 1)})
              .all_failed());
    CHECK_FALSE(result_of({outcome(DnsblStatus::Failed, 1), outcome(DnsblStatus::NotListed, 1)})
                    .all_failed());
}

TEST_CASE("DnsblResult: the strongest listing names the reply", "[dnsbl]") {
    auto r = result_of({outcome(DnsblStatus::Listed, 1, "a"), outcome(DnsblStatus::Listed, 3, "b"),
                        outcome(DnsblStatus::Listed, -5, "c")});
    REQUIRE(r.strongest_listing());
    CHECK(r.strongest_listing()->site.display_zone == "b");
    CHECK_FALSE(result_of({outcome(DnsblStatus::Listed, -1)}).strongest_listing());
}
