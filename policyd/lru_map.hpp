// A bounded map from string keys to values that expire: the least recently used entry is
// dropped when a new key would exceed the capacity, and an entry past its expiry time is
// never returned (and is dropped when looked up). Used by the policy caches.
// Not thread-safe: the caches that own one lock around it.
#pragma once

#include <cstddef>
#include <list>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>

#include "common/base/deadline.hpp"

namespace mw::policyd {

template <typename V>
class LruMap {
public:
    /// `capacity` 0 means the map keeps nothing.
    explicit LruMap(std::size_t capacity) : capacity_(capacity) {}

    /// The value for `key` unless absent or expired at `now`; a hit becomes most recent.
    /// `expires`, when given, receives the hit's expiry time.
    std::optional<V> find(const std::string& key, Clock::time_point now,
                          Clock::time_point* expires = nullptr) {
        auto it = index_.find(key);
        if (it == index_.end()) return std::nullopt;
        if (now >= it->second->expires) {
            order_.erase(it->second);
            index_.erase(it);
            return std::nullopt;
        }
        order_.splice(order_.begin(), order_, it->second);
        if (expires) *expires = it->second->expires;
        return it->second->value;
    }

    /// Inserts or replaces; evicts the least recently used entry when full.
    void put(const std::string& key, V value, Clock::time_point expires) {
        if (capacity_ == 0) return;
        if (auto it = index_.find(key); it != index_.end()) {
            order_.erase(it->second);
            index_.erase(it);
        }
        if (index_.size() >= capacity_) {
            index_.erase(order_.back().key);
            order_.pop_back();
        }
        order_.push_front(Entry{key, std::move(value), expires});
        index_.emplace(key, order_.begin());
    }

    std::size_t size() const { return index_.size(); }
    std::size_t capacity() const { return capacity_; }

private:
    struct Entry {
        std::string key;
        V value;
        Clock::time_point expires;
    };

    std::size_t capacity_;
    std::list<Entry> order_;  // most recent first
    std::unordered_map<std::string, typename std::list<Entry>::iterator> index_;
};

}  // namespace mw::policyd
