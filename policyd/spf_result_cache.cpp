#include "policyd/spf_result_cache.hpp"

#include <algorithm>
#include <cctype>

#include <fmt/format.h>

#include "common/base/limits.hpp"

namespace mw::policyd {

namespace {

std::string lowered(std::string_view s) {
    std::string out(s);
    for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

/// Domains compare case-insensitively; the local-part is kept as sent (RFC 5321 §2.4).
std::string normalized_sender(std::string_view sender) {
    const auto at = sender.rfind('@');
    if (at == std::string_view::npos) return lowered(sender);
    return std::string(sender.substr(0, at + 1)) + lowered(sender.substr(at + 1));
}

}  // namespace

SpfResultCache::SpfResultCache(std::size_t capacity, std::chrono::seconds max_ttl, NowFn now)
    : map_(std::min(capacity, limits::kMaxSpfCacheEntries)),
      max_ttl_(max_ttl),
      now_(std::move(now)) {}

std::string SpfResultCache::key_of(const spf::SpfRequest& req) {
    const std::string fields[] = {spf::to_string(req.identity), req.client.unmapped().to_string(),
                                  lowered(req.helo), normalized_sender(req.sender),
                                  lowered(req.receiver)};
    // Length-prefixed, so no field content can forge another key.
    std::string key;
    for (const auto& f : fields) key += fmt::format("{}:{};", f.size(), f);
    return key;
}

std::optional<spf::SpfOutcome> SpfResultCache::find(const spf::SpfRequest& req) {
    const std::string key = key_of(req);
    std::lock_guard lock(mu_);
    return map_.find(key, now_());
}

void SpfResultCache::store(const spf::SpfRequest& req, const spf::SpfOutcome& outcome) {
    if (outcome.result == spf::SpfResult::TempError) return;
    std::chrono::seconds ttl{outcome.ttl};
    if (max_ttl_.count() > 0) ttl = std::min(ttl, max_ttl_);
    if (ttl.count() <= 0) return;
    const std::string key = key_of(req);
    std::lock_guard lock(mu_);
    map_.put(key, outcome, now_() + ttl);
}

std::size_t SpfResultCache::size() const {
    std::lock_guard lock(mu_);
    return map_.size();
}

CachingSpfChecker::CachingSpfChecker(spf::SpfChecker& inner, SpfResultCache& cache)
    : inner_(inner), cache_(cache) {}

spf::SpfOutcome CachingSpfChecker::check(const spf::SpfRequest& req, Deadline deadline) {
    if (auto hit = cache_.find(req)) return *hit;
    spf::SpfOutcome outcome = inner_.check(req, deadline);
    cache_.store(req, outcome);
    return outcome;
}

}  // namespace mw::policyd
