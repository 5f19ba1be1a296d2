// Replay by Postfix's `instance` attribute: smtpd sends one policy request per recipient with
// the same instance; the first request decides and the later ones repeat that decision, except
// that a PREPEND becomes DUNNO so the header is added once per message (policyd-spf's
// instance_dict, "Header already pre-pended"). Requests without an instance are not cached.
// Bounded: at most `capacity` (<= limits::kMaxPolicyInstances) instances, least recently used
// dropped first, each kept at most `max_age`. Thread-safe (one per process).
#pragma once

#include <chrono>
#include <mutex>
#include <optional>
#include <string_view>

#include "policyd/cache_clock.hpp"
#include "policyd/lru_map.hpp"
#include "policyd/spf_policy.hpp"

namespace mw::policyd {

class InstanceCache {
public:
    static constexpr std::size_t kDefaultCapacity = 10000;
    static constexpr std::chrono::seconds kDefaultMaxAge{3600};

    explicit InstanceCache(std::size_t capacity = kDefaultCapacity,
                           std::chrono::seconds max_age = kDefaultMaxAge,
                           NowFn now = steady_now());

    /// The decision to send for a later recipient of `instance`, or nullopt for a new one.
    std::optional<Decision> replay(std::string_view instance);
    /// Records the first recipient's decision.
    void remember(std::string_view instance, const Decision& decision);
    std::size_t size() const;

private:
    mutable std::mutex mu_;
    LruMap<Decision> map_;
    std::chrono::seconds max_age_;
    NowFn now_;
};

}  // namespace mw::policyd
