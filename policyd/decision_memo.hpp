// DecisionMemo: the rendered decision (replies and log fields) per request shape, so that a
// warm request renders only its log line. The key is everything SpfPolicy::decide() reads
// from a request apart from the queue id: client_address, helo_name, sender, client_name
// (helo_whitelist, domain_whitelist_ptr) and whether sasl_username is set; the configuration
// is fixed per memo (one per PolicyService generation). An entry lives for the decision's ttl:
// the smallest remaining TTL of the SPF outcomes it used (Decision::ttl), capped by `max_ttl`
// when non-zero, so it never outlives the SPF result cache entries it was made from; a
// decision with ttl 0 (temperror, uncacheable answers) is not kept.
// Bounded: at most `capacity` (<= limits::kMaxSpfCacheEntries, rounded up to a multiple of 16)
// entries, least recently used (per SharedLruMap shard)
// dropped first. Thread-safe.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>

#include "policyd/cache_clock.hpp"
#include "policyd/shared_lru_map.hpp"
#include "policyd/policy_request.hpp"
#include "policyd/rendered_decision.hpp"

namespace mw::policyd {

class DecisionMemo {
public:
    DecisionMemo(std::size_t capacity, std::chrono::seconds max_ttl, NowFn now = steady_now());

    /// The key of `req`: length-prefixed fields, so that no field can forge another.
    static std::string key_of(const PolicyRequest& req);

    /// nullptr when absent or expired.
    RenderedPtr find(const std::string& key);
    /// Keeps `rendered` for `ttl_seconds` (capped by max_ttl); ttl 0 keeps nothing.
    void store(const std::string& key, RenderedPtr rendered, std::uint32_t ttl_seconds);
    std::size_t size() const;

private:
    SharedLruMap<RenderedPtr> map_;
    std::chrono::seconds max_ttl_;
    NowFn now_;
};

}  // namespace mw::policyd
