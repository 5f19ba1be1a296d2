#include "common/dns/answer_cache.hpp"

#include <algorithm>

#include "common/base/limits.hpp"

namespace mw::dns {

AnswerCache::AnswerCache(Options options) : options_(options) {
    options_.max_entries = std::min(options_.max_entries, limits::kMaxDnsCacheEntries);
    options_.ttl_floor = std::min(options_.ttl_floor, options_.ttl_ceiling);
}

std::chrono::seconds AnswerCache::clamp_ttl(uint32_t ttl) const {
    return std::clamp(std::chrono::seconds(ttl), options_.ttl_floor, options_.ttl_ceiling);
}

std::optional<dns::Answer> AnswerCache::find(const std::string& name, dns::RrType type,
                                            Clock::time_point now) {
    std::lock_guard lock(mu_);
    auto it = entries_.find({name, type});
    if (it == entries_.end() || it->second.expires <= now) return std::nullopt;
    return it->second.answer;
}

void AnswerCache::store(const std::string& name, dns::RrType type, const dns::Answer& answer,
                       Clock::time_point now) {
    if (answer.rcode != dns::Rcode::NoError && answer.rcode != dns::Rcode::NxDomain) return;
    const auto ttl = clamp_ttl(answer.ttl);
    if (ttl.count() <= 0 || options_.max_entries == 0) return;
    std::lock_guard lock(mu_);
    Key key{name, type};
    if (auto old = entries_.find(key); old != entries_.end()) {
        // Drop the old expiry index row; the entry is replaced below.
        auto range = by_expiry_.equal_range(old->second.expires);
        for (auto it = range.first; it != range.second; ++it)
            if (it->second == key) {
                by_expiry_.erase(it);
                break;
            }
        entries_.erase(old);
    }
    make_room(now);
    const auto expires = now + ttl;
    entries_.emplace(key, Entry{answer, expires});
    by_expiry_.emplace(expires, std::move(key));
}

void AnswerCache::make_room(Clock::time_point now) {
    // Expired entries first; then, if still full, the ones expiring soonest.
    while (!by_expiry_.empty() &&
           (by_expiry_.begin()->first <= now || entries_.size() >= options_.max_entries)) {
        entries_.erase(by_expiry_.begin()->second);
        by_expiry_.erase(by_expiry_.begin());
    }
}

std::size_t AnswerCache::size() const {
    std::lock_guard lock(mu_);
    return entries_.size();
}

std::vector<Answer> query_many_cached(Resolver& resolver, AnswerCache* cache, const std::vector<Question>& questions,
                                      Deadline deadline) {
    std::vector<Answer> out(questions.size());
    std::vector<Question> misses;
    std::vector<std::size_t> miss_index;
    for (std::size_t i = 0; i < questions.size(); ++i) {
        auto hit = cache ? cache->find(questions[i].name, questions[i].type, Clock::now()) : std::nullopt;
        if (hit) {
            out[i] = std::move(*hit);
        } else {
            misses.push_back(questions[i]);
            miss_index.push_back(i);
        }
    }
    if (misses.empty()) return out;
    auto answers = resolver.query_many(misses, deadline);
    for (std::size_t j = 0; j < misses.size() && j < answers.size(); ++j) {
        if (cache) cache->store(misses[j].name, misses[j].type, answers[j], Clock::now());
        out[miss_index[j]] = std::move(answers[j]);
    }
    return out;
}

}  // namespace mw::dns
