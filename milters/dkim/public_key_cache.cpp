#include "milters/dkim/public_key_cache.hpp"

#include "common/base/limits.hpp"

namespace mw::dkim {

Result<PublicKey> PublicKeyCache::get(const KeyRecord& record) {
    if (record.revoked) return PublicKey::from_record(record);   // the error, never cached
    std::string id(key_type_name(record.type));
    id += ':';
    id += record.public_key;
    {
        std::lock_guard lock(mu_);
        if (auto it = keys_.find(id); it != keys_.end()) return it->second;
    }
    auto key = PublicKey::from_record(record);   // outside the lock: decoding is the slow part
    if (!key) return key;
    std::lock_guard lock(mu_);
    if (keys_.size() >= max_entries_) keys_.clear();
    keys_.emplace(std::move(id), *key);
    return key;
}

std::size_t PublicKeyCache::size() const {
    std::lock_guard lock(mu_);
    return keys_.size();
}

PublicKeyCache& shared_public_key_cache() {
    static PublicKeyCache cache(limits::kMaxDkimKeyCache);
    return cache;
}

}  // namespace mw::dkim
