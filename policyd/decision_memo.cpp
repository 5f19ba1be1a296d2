#include "policyd/decision_memo.hpp"

#include <algorithm>
#include <charconv>

#include "common/base/limits.hpp"

namespace mw::policyd {

namespace {

void append_field(std::string& key, std::string_view s) {
    char digits[24];
    const auto end = std::to_chars(digits, digits + sizeof digits, s.size()).ptr;
    key.append(digits, end).append(1, ':').append(s);
}

}  // namespace

DecisionMemo::DecisionMemo(std::size_t capacity, std::chrono::seconds max_ttl, NowFn now)
    : map_(std::min(capacity, limits::kMaxSpfCacheEntries)), max_ttl_(max_ttl), now_(std::move(now)) {}

std::string DecisionMemo::key_of(const PolicyRequest& req) {
    // Exact bytes, no case folding: the HELO name and the sender appear in the header as sent.
    std::string key;
    key.reserve(24 + req.client_address.size() + req.helo_name.size() + req.sender.size() +
                req.client_name.size());
    key.push_back(req.sasl_username.empty() ? '-' : 's');
    append_field(key, req.client_address);
    append_field(key, req.helo_name);
    append_field(key, req.sender);
    append_field(key, req.client_name);
    return key;
}

RenderedPtr DecisionMemo::find(const std::string& key) {
    auto hit = map_.find(key, now_());
    return hit ? std::move(*hit) : nullptr;
}

void DecisionMemo::store(const std::string& key, RenderedPtr rendered, std::uint32_t ttl_seconds) {
    std::chrono::seconds ttl{ttl_seconds};
    if (max_ttl_.count() > 0) ttl = std::min(ttl, max_ttl_);
    if (ttl.count() <= 0 || !rendered) return;
    map_.put(key, std::move(rendered), now_() + ttl);
}

std::size_t DecisionMemo::size() const {
    return map_.size();
}

}  // namespace mw::policyd
