// Caches SPF outcomes across messages, keyed by everything check_host() may look at: identity,
// client IP (IPv4-mapped folded to IPv4), HELO name, sender and receiver. The full sender (not
// only its domain) is in the key because macros (%{l}, %{s}, RFC 7208 §7.3) can make the
// outcome depend on the local-part. An entry lives for the outcome's ttl (the smallest DNS TTL
// used), capped by `max_ttl` when that is non-zero; temperror and ttl 0 are never cached.
// Bounded: at most `capacity` (<= limits::kMaxSpfCacheEntries, rounded up to a multiple of 16)
// entries, least recently used (per SharedLruMap shard)
// dropped first. Thread-safe.
#pragma once

#include <chrono>
#include <optional>
#include <string>

#include "common/spf/spf_checker.hpp"
#include "policyd/cache_clock.hpp"
#include "policyd/shared_lru_map.hpp"

namespace mw::policyd {

class SpfResultCache {
public:
    SpfResultCache(std::size_t capacity, std::chrono::seconds max_ttl, NowFn now = steady_now());

    /// A hit's ttl is what is left of the entry's life (whole seconds, rounded down).
    std::optional<spf::SpfOutcome> find(const spf::SpfRequest& req);
    void store(const spf::SpfRequest& req, const spf::SpfOutcome& outcome);
    std::size_t size() const;

private:
    static std::string key_of(const spf::SpfRequest& req);

    SharedLruMap<spf::SpfOutcome> map_;
    std::chrono::seconds max_ttl_;
    NowFn now_;
};

/// An SpfChecker that answers from an SpfResultCache and asks `inner` on a miss.
class CachingSpfChecker : public spf::SpfChecker {
public:
    /// Both must outlive this checker.
    CachingSpfChecker(spf::SpfChecker& inner, SpfResultCache& cache);
    spf::SpfOutcome check(const spf::SpfRequest& req, Deadline deadline) override;
    /// Forwarded to the inner checker only when the outcome is not cached.
    void prefetch(const spf::SpfRequest& req, Deadline deadline) override;

private:
    spf::SpfChecker& inner_;
    SpfResultCache& cache_;
};

}  // namespace mw::policyd
