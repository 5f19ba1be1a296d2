#include <catch2/catch.hpp>

#include <atomic>
#include <string>
#include <thread>
#include <vector>

#include "policyd/shared_lru_map.hpp"

using mw::Clock;
using mw::policyd::SharedLruMap;

namespace {
const Clock::time_point kNow{};
const Clock::time_point kLater = kNow + std::chrono::hours(1);
}  // namespace

TEST_CASE("SharedLruMap: small capacities keep one exact LRU order", "[policyd][cache]") {
    SharedLruMap<int> map(2);
    map.put("a", 1, kLater);
    map.put("b", 2, kLater);
    CHECK(map.find("a", kNow) == 1);   // a becomes most recent
    map.put("c", 3, kLater);           // evicts b
    CHECK(map.find("b", kNow) == std::nullopt);
    CHECK(map.find("a", kNow) == 1);
    CHECK(map.find("c", kNow) == 3);
    CHECK(map.size() == 2);
    CHECK(map.find("c", kLater) == std::nullopt);   // expired
    SharedLruMap<int> none(0);
    none.put("a", 1, kLater);
    CHECK(none.size() == 0);
}

TEST_CASE("SharedLruMap: large capacities are split into shards, each bounded", "[policyd][cache]") {
    const std::size_t capacity = 1024;
    SharedLruMap<int> map(capacity);
    for (int i = 0; i < 5000; ++i) map.put("key" + std::to_string(i), i, kLater);
    CHECK(map.size() <= capacity);
    CHECK(map.size() > capacity / 2);
    // The most recent keys of every shard stay: the last few are all there.
    for (int i = 4990; i < 5000; ++i) CHECK(map.find("key" + std::to_string(i), kNow) == i);
    CHECK(map.find("key0", kNow) == std::nullopt);
    map.put("key4999", -1, kLater);   // replaces, does not add
    CHECK(map.find("key4999", kNow) == -1);
}

TEST_CASE("SharedLruMap: connection threads share it", "[policyd][cache]") {
    SharedLruMap<int> map(2048);
    std::atomic<int> bad{0};   // Catch2's CHECK is not for other threads
    auto worker = [&](int t) {
        for (int i = 0; i < 20000; ++i) {
            const std::string key = "k" + std::to_string((i * 7 + t) % 3000);
            if (auto hit = map.find(key, kNow); hit && *hit < 0) ++bad;
            map.put(key, i, kLater);
        }
    };
    std::vector<std::thread> threads;
    for (int t = 0; t < 4; ++t) threads.emplace_back(worker, t);
    for (auto& th : threads) th.join();
    CHECK(bad.load() == 0);
    CHECK(map.size() <= 2048);
}
