// KeyStore: the private keys named by a KeyTable, read and decoded once (start-up, reload),
// never per message. With require_safe_keys a key file must be owned by the running user or
// root and have no group/other permission bits; anything else is refused with an error naming
// the file and its mode (not a warning). Errors carry the key table's FILE:LINE. Thread-safe
// once built (read-only).
#pragma once

#include <sys/types.h>

#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "common/base/result.hpp"
#include "milters/dkim/dkim_signer.hpp"
#include "milters/dkim/key_table.hpp"

namespace mw::dkim {

struct KeyStoreOptions {
    bool require_safe_keys = true;
    /// Also accepted as a key file's owner: the account the daemon drops to, so keys owned by
    /// it pass both at start-up (as root) and on reload (as that account).
    std::optional<uid_t> service_uid;
};

class KeyStore {
public:
    static Result<KeyStore> load(const KeyTable& table, const KeyStoreOptions& options);

    /// The key for a key table name, or nullptr.
    const SigningKey* find(std::string_view key_name) const;
    std::size_t size() const { return keys_.size(); }

private:
    std::map<std::string, SigningKey, std::less<>> keys_;
};

/// Reads one PEM key file, checking ownership and mode when `require_safe` (exposed for the
/// CLI's testkey).
Result<PrivateKey> load_private_key(const std::string& path, bool require_safe,
                                    std::optional<uid_t> service_uid = std::nullopt);

}  // namespace mw::dkim
