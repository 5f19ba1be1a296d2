// AnswerCache: answers keyed by query name and type, kept in front of the resolver for their TTL
// clamped to [ttl_floor, ttl_ceiling] (as postscreen_dnsbl_min_ttl / _max_ttl): DNS-list answers
// of mailwarden-dnsbl, DKIM key records of mailwarden-dkim. A hit costs a map lookup instead of a
// hand-off to the resolver thread and back (libunbound's own cache still costs that). Negative
// answers (NXDOMAIN, NODATA) are kept too, with the SOA-derived TTL the resolver reports;
// failures (SERVFAIL, timeouts, ...) never are, so a list that was down is asked again.
// Bounded: at most `max_entries` (<= limits::kMaxDnsCacheEntries); when full, expired entries
// go first, then those closest to expiry. The time is passed in, so tests need no sleeping.
// Thread-safe (one mutex): one cache serves every connection of the daemon.
#pragma once

#include <chrono>
#include <cstddef>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "common/base/deadline.hpp"
#include "common/dns/resolver.hpp"

namespace mw::dns {

class AnswerCache {
public:
    struct Options {
        std::chrono::seconds ttl_floor{60};
        std::chrono::seconds ttl_ceiling{3600};  // 0 disables the cache
        std::size_t max_entries = 100000;
    };

    explicit AnswerCache(Options options);

    /// The cached answer for (name, type) if present and not expired at `now`.
    std::optional<dns::Answer> find(const std::string& name, dns::RrType type,
                                    Clock::time_point now);
    /// Keeps `answer` if it is cacheable (NOERROR or NXDOMAIN).
    void store(const std::string& name, dns::RrType type, const dns::Answer& answer,
               Clock::time_point now);
    /// `ttl` clamped to [ttl_floor, ttl_ceiling].
    std::chrono::seconds clamp_ttl(uint32_t ttl) const;
    std::size_t size() const;

private:
    using Key = std::pair<std::string, dns::RrType>;
    struct Entry {
        dns::Answer answer;
        Clock::time_point expires;
    };
    void make_room(Clock::time_point now);

    Options options_;
    mutable std::mutex mu_;
    std::map<Key, Entry> entries_;
    std::multimap<Clock::time_point, Key> by_expiry_;
};

/// resolver.query_many() for the questions `cache` (may be nullptr) cannot answer now; new answers
/// are stored. Answers in question order.
std::vector<Answer> query_many_cached(Resolver& resolver, AnswerCache* cache, const std::vector<Question>& questions,
                                      Deadline deadline);

}  // namespace mw::dns
