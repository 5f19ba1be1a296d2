#include "policyd/spf_result_cache.hpp"

#include <algorithm>
#include <charconv>

#include "common/base/limits.hpp"

namespace mw::policyd {

namespace {

char ascii_lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c + ('a' - 'A')) : c; }

void append_lowered(std::string& out, std::string_view s) {
    for (char c : s) out.push_back(ascii_lower(c));
}

/// "LENGTH:" then the field, so that no field content can forge another key.
void append_length(std::string& key, std::size_t n) {
    char digits[24];
    const auto end = std::to_chars(digits, digits + sizeof digits, n).ptr;
    key.append(digits, end).push_back(':');
}

/// Domains compare case-insensitively; the local-part is kept as sent (RFC 5321 §2.4).
void append_sender(std::string& key, std::string_view sender) {
    append_length(key, sender.size());
    const auto at = sender.rfind('@');
    const std::size_t domain = at == std::string_view::npos ? 0 : at + 1;
    key.append(sender.substr(0, domain));
    append_lowered(key, sender.substr(domain));
    key.push_back(';');
}

void append_lowered_field(std::string& key, std::string_view s) {
    append_length(key, s.size());
    append_lowered(key, s);
    key.push_back(';');
}

}  // namespace

SpfResultCache::SpfResultCache(std::size_t capacity, std::chrono::seconds max_ttl, NowFn now)
    : map_(std::min(capacity, limits::kMaxSpfCacheEntries)),
      max_ttl_(max_ttl),
      now_(std::move(now)) {}

std::string SpfResultCache::key_of(const spf::SpfRequest& req) {
    // identity, then the unmapped address as raw bytes (a fixed size per family), then the
    // length-prefixed names.
    const net::IpAddress ip = req.client.unmapped();
    std::string key;
    key.reserve(32 + ip.size() + req.helo.size() + req.sender.size() + req.receiver.size());
    key.push_back(req.identity == spf::Identity::Helo ? 'h' : 'm');
    key.push_back(ip.is_v4() ? '4' : '6');
    key.append(reinterpret_cast<const char*>(ip.bytes()), ip.size());
    append_lowered_field(key, req.helo);
    append_sender(key, req.sender);
    append_lowered_field(key, req.receiver);
    return key;
}

std::optional<spf::SpfOutcome> SpfResultCache::find(const spf::SpfRequest& req) {
    const std::string key = key_of(req);
    const Clock::time_point now = now_();
    Clock::time_point expires;
    std::optional<spf::SpfOutcome> hit = map_.find(key, now, &expires);
    // What is left of its life, whole seconds down: whatever is built from a hit (the
    // DecisionMemo) must not outlive the entry.
    if (hit)
        hit->ttl = static_cast<std::uint32_t>(
            std::chrono::duration_cast<std::chrono::seconds>(expires - now).count());
    return hit;
}

void SpfResultCache::store(const spf::SpfRequest& req, const spf::SpfOutcome& outcome) {
    if (outcome.result == spf::SpfResult::TempError) return;
    std::chrono::seconds ttl{outcome.ttl};
    if (max_ttl_.count() > 0) ttl = std::min(ttl, max_ttl_);
    if (ttl.count() <= 0) return;
    const std::string key = key_of(req);
    map_.put(key, outcome, now_() + ttl);
}

std::size_t SpfResultCache::size() const {
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

void CachingSpfChecker::prefetch(const spf::SpfRequest& req, Deadline deadline) {
    if (!cache_.find(req)) inner_.prefetch(req, deadline);
}

}  // namespace mw::policyd
