// Replay by Postfix's `instance` attribute: smtpd sends one policy request per recipient with
// the same instance; the first request decides and the later ones repeat that decision, except
// that a PREPEND becomes DUNNO so the header is added once per message (policyd-spf's
// instance_dict, "Header already pre-pended": RenderedDecision::replay_wire). Requests without
// an instance are not cached. Entries share the rendered decision (no copy per message).
// Bounded: at most `capacity` (<= limits::kMaxPolicyInstances, rounded up to a multiple of 16)
// instances, least recently used (per SharedLruMap shard)
// dropped first, each kept at most `max_age`. Thread-safe (one per process).
#pragma once

#include <chrono>
#include <string_view>

#include "policyd/cache_clock.hpp"
#include "policyd/shared_lru_map.hpp"
#include "policyd/rendered_decision.hpp"

namespace mw::policyd {

class InstanceCache {
public:
    static constexpr std::size_t kDefaultCapacity = 10000;
    static constexpr std::chrono::seconds kDefaultMaxAge{3600};

    explicit InstanceCache(std::size_t capacity = kDefaultCapacity,
                           std::chrono::seconds max_age = kDefaultMaxAge,
                           NowFn now = steady_now());

    /// The first recipient's decision for a later recipient of `instance` (send its
    /// replay_wire), or nullptr for a new instance.
    RenderedPtr replay(std::string_view instance);
    /// Records the first recipient's decision.
    void remember(std::string_view instance, RenderedPtr decision);
    std::size_t size() const;

private:
    SharedLruMap<RenderedPtr> map_;
    std::chrono::seconds max_age_;
    NowFn now_;
};

}  // namespace mw::policyd
