#include "policyd/instance_cache.hpp"

#include <algorithm>
#include <string>

#include "common/base/limits.hpp"

namespace mw::policyd {

InstanceCache::InstanceCache(std::size_t capacity, std::chrono::seconds max_age, NowFn now)
    : map_(std::min(capacity, limits::kMaxPolicyInstances)),
      max_age_(max_age),
      now_(std::move(now)) {}

RenderedPtr InstanceCache::replay(std::string_view instance) {
    if (instance.empty()) return nullptr;
    const std::string key(instance);
    auto hit = map_.find(key, now_());
    return hit ? std::move(*hit) : nullptr;
}

void InstanceCache::remember(std::string_view instance, RenderedPtr decision) {
    if (instance.empty() || !decision) return;
    std::string key(instance);
    map_.put(key, std::move(decision), now_() + max_age_);
}

std::size_t InstanceCache::size() const {
    return map_.size();
}

}  // namespace mw::policyd
