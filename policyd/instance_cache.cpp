#include "policyd/instance_cache.hpp"

#include <algorithm>
#include <string>

#include "common/base/limits.hpp"

namespace mw::policyd {

InstanceCache::InstanceCache(std::size_t capacity, std::chrono::seconds max_age, NowFn now)
    : map_(std::min(capacity, limits::kMaxPolicyInstances)),
      max_age_(max_age),
      now_(std::move(now)) {}

std::optional<Decision> InstanceCache::replay(std::string_view instance) {
    if (instance.empty()) return std::nullopt;
    std::optional<Decision> d;
    {
        std::lock_guard lock(mu_);
        d = map_.find(std::string(instance), now_());
    }
    if (!d) return std::nullopt;
    d->replayed = true;
    // The header went out with the first recipient: policyd-spf answers DUNNO from then on.
    if (d->action == ReplyAction::Prepend) {
        d->action = ReplyAction::Dunno;
        d->intended = ReplyAction::Dunno;
    }
    return d;
}

void InstanceCache::remember(std::string_view instance, const Decision& decision) {
    if (instance.empty()) return;
    std::lock_guard lock(mu_);
    map_.put(std::string(instance), decision, now_() + max_age_);
}

std::size_t InstanceCache::size() const {
    std::lock_guard lock(mu_);
    return map_.size();
}

}  // namespace mw::policyd
