// SpfEvaluator: the project's own RFC 7208 evaluator behind SpfChecker. Maps the request to
// check_host() arguments (§2.3 HELO, §2.4 MAIL FROM, null sender -> postmaster@HELO, empty local
// part -> postmaster, v4-mapped clients as IPv4) and runs CheckHost over a dns::Resolver.
// Limits: those of §4.6.4 and limits.hpp (see check_host.hpp, spf_lookups.hpp). Never throws on
// input. Thread-safe: check() keeps its state on the stack, and Resolver is thread-safe.
#pragma once

#include <cstdint>
#include <functional>
#include <string>

#include "common/dns/resolver.hpp"
#include "common/spf/spf_checker.hpp"

namespace mw::spf {

struct SpfEvaluatorOptions {
    /// %{r} when the request names no receiver.
    std::string receiver = "unknown";
    /// Explanation for fail when the record has no usable exp= (the text pyspf uses).
    std::string default_explanation = "SPF fail - not authorized";
    /// Seconds since the epoch for %{t}; the system clock when unset.
    std::function<int64_t()> now;
};

class SpfEvaluator : public SpfChecker {
public:
    explicit SpfEvaluator(dns::Resolver& resolver, SpfEvaluatorOptions options = {})
        : resolver_(resolver), options_(std::move(options)) {}

    SpfOutcome check(const SpfRequest& req, Deadline deadline) override;
    /// Submits the TXT query for the checked domain's record and does not wait: the
    /// resolver's cache then answers check()'s own query (or joins it while in flight).
    void prefetch(const SpfRequest& req, Deadline deadline) override;

private:
    dns::Resolver& resolver_;
    SpfEvaluatorOptions options_;
};

}  // namespace mw::spf
