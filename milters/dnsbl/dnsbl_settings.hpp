// DnsblSettings: one configuration generation of mailwarden-dnsbl in plain form: the DNS lists of
// every target with their thresholds and reply templates, who is skipped, the access tables
// (reloading TableLists, shared by every snapshot of this generation), and the actions.
// load_dnsbl_settings() reads every file a Config names and reports errors at FILE:LINE (the
// config key's line, or the table's). Immutable once built except the tables' own reloading.
#pragma once

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "common/base/result.hpp"
#include "common/config/config.hpp"
#include "common/milter/milter_spec.hpp"
#include "common/net/cidr.hpp"
#include "common/table/access_table.hpp"
#include "common/table/cidr_table.hpp"
#include "common/table/table_list.hpp"
#include "common/dns/answer_cache.hpp"
#include "milters/dnsbl/dnsbl_checker.hpp"
#include "milters/dnsbl/dnsbl_result.hpp"
#include "milters/dnsbl/dnsbl_site.hpp"
#include "milters/dnsbl/reply_map.hpp"
#include "milters/dnsbl/reply_template.hpp"

namespace mw::dnsbl {

enum class RejectStage { Connect, Helo, Mail, Rcpt };

struct DnsblSettings {
    std::vector<DnsblSite> sites;            // every target, configuration order
    DnsblThresholds thresholds;
    DnsblChecker::Options checker;
    dns::AnswerCache::Options cache;
    bool tempfail_when_all_failed = false;   // dns_failure_action = tempfail
    RejectStage stage = RejectStage::Rcpt;
    std::optional<ReplyTemplate> default_reply;
    std::optional<ReplyMap> reply_map;
    bool score_only = false;
    std::string score_header = "X-Mailwarden-DNSBL";
    std::vector<std::string> always_accept;  // lower case: "postmaster" or "abuse@example.com"
    net::CidrSet internal_hosts;
    net::CidrSet allow_clients;
    std::vector<std::string> allow_sender_domains;
    bool skip_authenticated = true;
    std::shared_ptr<table::TableList<table::CidrTable>> client_access;
    std::shared_ptr<table::TableList<table::AccessTable>> sender_access;
    bool check_from_header = false;
    table::AccessLookupOptions lookup;
    std::chrono::milliseconds table_check_interval{1000};
    milter::FailureAction failure_action = milter::FailureAction::Tempfail;
    bool dry_run = false;

    /// The reply template for a listing by `site` (rbl_reply_maps, else default_rbl_reply).
    const ReplyTemplate& reply_for(const DnsblSite& site) const;
    bool uses_from_header() const;
};

Result<DnsblSettings> load_dnsbl_settings(const config::Config& c);

/// The -t / start-up / reload check: listen address, then everything load_dnsbl_settings() does.
Result<bool> check_dnsbl_config(const config::Config& c);

}  // namespace mw::dnsbl
