// DkimSettings: one configuration generation of mailwarden-dkim in plain form: who is outbound,
// which keys sign which author (signing table + key store, or the one-domain shortcut; keys
// decoded here, once, never per message), the signer options, the authserv-id and the failure
// action. load_dkim_settings() reads every file a Config names and reports errors at FILE:LINE
// (the config key's line, or the table's). Immutable once built: thread-safe to share.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/base/result.hpp"
#include "common/config/config.hpp"
#include "common/milter/milter_spec.hpp"
#include "common/net/cidr.hpp"
#include "milters/dkim/dkim_signer.hpp"
#include "milters/dkim/key_store.hpp"
#include "milters/dkim/signing_table.hpp"
#include "milters/dkim/verify_actions.hpp"

namespace mw::dkim {

struct DkimSettings {
    std::string authserv_id;
    net::CidrSet internal_hosts;
    std::string originating_daemon_name = "ORIGINATING";
    SignerOptions signer;
    std::chrono::milliseconds verify_time{10'000};
    milter::FailureAction failure_action = milter::FailureAction::Tempfail;
    bool dry_run = false;
    VerifyActions actions;

    // Signing keys: the tables, or the one-domain shortcut (domains + one key), or neither.
    std::optional<SigningTable> signing_table;
    std::optional<KeyStore> key_store;
    std::vector<std::string> shortcut_domains;   // lower case
    std::optional<SigningKey> shortcut_key;      // domain filled per message

    /// The keys that sign mail from `author` ("local@domain"), in table order; empty: none.
    std::vector<SigningKey> keys_for(std::string_view author) const;
    bool can_sign() const { return signing_table.has_value() || shortcut_key.has_value(); }
};

/// Builds the settings from a checked Config, loading tables and keys.
Result<DkimSettings> load_dkim_settings(const config::Config& c);

/// The -t / start-up / reload check: listen address, then everything load_dkim_settings() does.
Result<bool> check_dkim_config(const config::Config& c);

}  // namespace mw::dkim
