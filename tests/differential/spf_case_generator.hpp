// SpfCaseGenerator: deterministic random SPF test cases (zone data + one request) for the
// differential test of SpfEvaluator against libspf2. Same seed, same cases, on every machine
// (std::mt19937 is fully specified, and only its raw output is used: no std::*_distribution,
// whose algorithms differ between standard libraries).
// Every record is syntactically valid RFC 7208 (§4.6.1 grammar, §5 mechanisms, §6 modifiers,
// §7 macros): ip4/ip6 with CIDRs, a/mx with dual CIDR, include chains, redirect=, exists: with
// %{i} %{ir} %{d} %{d2} %{l} %{o} macros, all four qualifiers, the four all endings, IPv4 and
// IPv6 clients picked inside and just outside the published ranges. A case lists the traits
// (constructs) it uses, so the test can skip exactly the ones libspf2 gets wrong.
// Thread-compatible.
#pragma once

#include <cstdint>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "common/spf/spf_checker.hpp"
#include "tests/support/libspf2_checker.hpp"

namespace mw::test {

struct SpfCase {
    int index = 0;
    std::vector<ZoneRecord> zone;
    spf::SpfRequest request;
    std::set<std::string> traits;   // e.g. "ip4", "mx-cidr", "exists-ir", "include-none"

    bool has(const std::string& trait) const { return traits.count(trait) != 0; }
    /// The zone and the request, one line each, for failure messages.
    std::string describe() const;
};

class SpfCaseGenerator {
public:
    explicit SpfCaseGenerator(uint32_t seed) : rng_(seed) {}
    SpfCase next();

private:
    std::mt19937 rng_;
    int count_ = 0;
};

}  // namespace mw::test
