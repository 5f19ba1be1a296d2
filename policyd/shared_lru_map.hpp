// SharedLruMap: an LruMap shared by every connection thread, split into shards by key hash,
// each with its own mutex, so that connections rarely wait for one another (a contended
// mutex puts the thread to sleep: a context switch costs more than a whole warm request).
// Recency and the capacity are per shard (capacity / kShards each, rounded up): the least
// recently used entry of the key's shard is dropped, which is all the policy caches need.
// Capacities under kMinSharded keep one shard: exact LRU order where it can matter.
// Thread-safe.
#pragma once

#include <array>
#include <cstddef>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "policyd/lru_map.hpp"

namespace mw::policyd {

template <typename V>
class SharedLruMap {
public:
    static constexpr std::size_t kShards = 16;
    static constexpr std::size_t kMinSharded = 1024;

    explicit SharedLruMap(std::size_t capacity)
        : used_(capacity >= kMinSharded ? kShards : 1),
          shards_(make_shards((capacity + used_ - 1) / used_)) {}

    /// As LruMap::find, under the key's shard lock.
    std::optional<V> find(const std::string& key, Clock::time_point now,
                          Clock::time_point* expires = nullptr) {
        Shard& s = shard(key);
        std::lock_guard lock(s.mu);
        return s.map.find(key, now, expires);
    }

    /// As LruMap::put, under the key's shard lock (capacity 0: every shard keeps nothing).
    void put(const std::string& key, V value, Clock::time_point expires) {
        Shard& s = shard(key);
        std::lock_guard lock(s.mu);
        s.map.put(key, std::move(value), expires);
    }

    std::size_t size() const {
        std::size_t n = 0;
        for (std::size_t i = 0; i < used_; ++i) {
            std::lock_guard lock(shards_[i].mu);
            n += shards_[i].map.size();
        }
        return n;
    }

private:
    struct alignas(64) Shard {   // one cache line each: no false sharing between locks
        explicit Shard(std::size_t capacity) : map(capacity) {}
        mutable std::mutex mu;
        LruMap<V> map;
    };

    template <std::size_t... I>
    static std::array<Shard, kShards> make_shards_impl(std::size_t each, std::index_sequence<I...>) {
        return {{((void)I, Shard(each))...}};
    }
    static std::array<Shard, kShards> make_shards(std::size_t each) {
        return make_shards_impl(each, std::make_index_sequence<kShards>{});
    }

    Shard& shard(const std::string& key) {
        return used_ == 1 ? shards_[0] : shards_[std::hash<std::string_view>{}(key) % used_];
    }

    std::size_t used_;
    std::array<Shard, kShards> shards_;
};

}  // namespace mw::policyd
