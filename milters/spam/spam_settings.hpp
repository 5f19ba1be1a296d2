// SpamSettings: one configuration generation of mailwarden-spam in plain form, and the rules it
// loads (stock SpamAssassin rules, site files, local files) compiled once into CompiledRules,
// shared read-only by every connection of the generation. load_spam_settings() reports errors at
// FILE:LINE (the config key's line, or the rule file's): a rule file with errors is refused as a
// whole, so a reload with a broken local rule keeps the running rules.
#pragma once

#include <chrono>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "common/base/result.hpp"
#include "common/config/config.hpp"
#include "common/daemon/daemon_startup.hpp"
#include "common/milter/milter_spec.hpp"
#include "common/net/cidr.hpp"
#include "milters/spam/rules/rule_set.hpp"
#include "milters/spam/scan/compiled_rules.hpp"

namespace mw::spam {

enum class ClientPolicy { Skip, Score, Scan };

struct SpamSettings {
    std::vector<std::string> rule_paths;   // in load order
    double required_score = 5.0;
    double reject_score = 0;               // 0: off
    double quarantine_score = 0;           // 0: off
    std::string subject_tag;
    bool add_report = false;
    std::size_t max_message_size = 512 * 1024;
    std::chrono::milliseconds scan_timeout{10000};
    ClientPolicy authenticated = ClientPolicy::Skip;
    ClientPolicy internal = ClientPolicy::Skip;
    net::CidrSet internal_hosts;
    net::CidrSet trusted_networks;         // empty: inferred as SpamAssassin does
    std::string authserv_id;
    std::string dnsbl_header;
    double dnsbl_weight = 1.0;
    bool dry_run = false;
    milter::FailureAction failure_action = milter::FailureAction::Tempfail;
};

/// The plugins whose rules we load (SpamAssassin's default set, v3xx.pre): their rules count as
/// defined; what we cannot run of them is reported as unsupported, never silently dropped.
std::set<std::string> default_plugins();

/// "auto" -> the sa-update tree if present, else /usr/share/spamassassin.
std::string resolve_rules_dir(const std::string& configured);

Result<SpamSettings> load_spam_settings(const config::Config& c);
/// Reads and compiles the rules the settings name; errors at FILE:LINE.
Result<RuleSet> load_rule_set(const std::vector<std::string>& paths);
Result<std::shared_ptr<const CompiledRules>> load_rules(const SpamSettings& s);

/// The -t / start-up / reload check: listen address, settings, rules.
Result<bool> check_spam_config(const config::Config& c);

/// The daemon's description for the start-up skeleton, also used by the CLI to read spam.conf.
const daemon::DaemonDescription& spam_daemon();

}  // namespace mw::spam
