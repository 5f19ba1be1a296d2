#include "milters/dnsbl/dnsbl_settings.hpp"

#include <fmt/format.h>

#include "common/base/ascii.hpp"
#include "common/daemon/daemon_startup.hpp"
#include "common/daemon/listen_spec.hpp"

namespace mw::dnsbl {

namespace {

using std::chrono::duration_cast;
using std::chrono::milliseconds;
using std::chrono::seconds;

constexpr std::pair<const char*, DnsblTarget> kSiteKeys[] = {
    {"dnsbl_sites", DnsblTarget::ClientAddress},   {"rhsbl_sender_sites", DnsblTarget::SenderDomain},
    {"rhsbl_helo_sites", DnsblTarget::HeloName},   {"rhsbl_client_sites", DnsblTarget::ClientName},
    {"rhsbl_from_sites", DnsblTarget::FromDomain},
};

Result<bool> load_sites(const config::Config& c, DnsblSettings& s) {
    const std::string dqs_key = c.str("dqs_key");
    for (const auto& [key, target] : kSiteKeys) {
        std::string value;
        for (const auto& item : c.list(key)) value += item + " ";
        auto sites = parse_dnsbl_sites(value, target, dqs_key);
        if (!sites) return fail(daemon::config_error(c, key, sites.error().message));
        s.sites.insert(s.sites.end(), sites->begin(), sites->end());
    }
    if (s.sites.size() > limits::kMaxDnsblSites)
        return fail(daemon::config_error(c, "dnsbl_sites", fmt::format("more than {} lists in all", limits::kMaxDnsblSites)));
    return true;
}

Result<bool> load_replies(const config::Config& c, DnsblSettings& s) {
    auto reply = ReplyTemplate::parse(c.str("default_rbl_reply"));
    if (!reply) return fail(daemon::config_error(c, "default_rbl_reply", reply.error().message));
    s.default_reply = std::move(*reply);
    if (c.str("rbl_reply_maps").empty()) return true;
    auto map = ReplyMap::load(c.str("rbl_reply_maps"));
    if (!map) return fail(map.error());   // FILE:LINE of the map
    s.reply_map = std::move(*map);
    return true;
}

template <typename T>
Result<std::shared_ptr<table::TableList<T>>> open_tables(const config::Config& c, const char* key) {
    std::string value;
    for (const auto& item : c.list(key)) value += item + " ";
    auto list = table::TableList<T>::open(value);
    if (!list && !list.error().pos) return fail(daemon::config_error(c, key, list.error().message));
    if (!list) return fail(list.error());   // FILE:LINE in the table
    return std::make_shared<table::TableList<T>>(std::move(*list));
}

Result<bool> load_tables(const config::Config& c, DnsblSettings& s) {
    auto clients = open_tables<table::CidrTable>(c, "client_access");
    if (!clients) return fail(clients.error());
    auto senders = open_tables<table::AccessTable>(c, "sender_access");
    if (!senders) return fail(senders.error());
    s.client_access = std::move(*clients);
    s.sender_access = std::move(*senders);
    s.lookup.parent_domain_matches_subdomains = c.flag("parent_domain_matches_subdomains");
    s.lookup.recipient_delimiter = c.str("recipient_delimiter");
    s.lookup.null_sender_key = c.str("smtpd_null_access_lookup_key");
    s.check_from_header = c.flag("check_from_header");
    s.table_check_interval = duration_cast<milliseconds>(c.duration("table_check_interval"));
    return true;
}

RejectStage stage_of(const std::string& word) {
    if (word == "connect") return RejectStage::Connect;
    if (word == "helo") return RejectStage::Helo;
    if (word == "mail") return RejectStage::Mail;
    return RejectStage::Rcpt;
}

void load_plain(const config::Config& c, DnsblSettings& s) {
    s.thresholds.threshold = static_cast<int>(c.integer("dnsbl_threshold"));
    s.thresholds.allowlist_threshold = static_cast<int>(c.integer("dnsbl_allowlist_threshold"));
    s.checker.query_timeout = duration_cast<milliseconds>(c.duration("dns_timeout"));
    s.checker.deadline = duration_cast<milliseconds>(c.duration("dnsbl_timeout"));
    s.cache.ttl_floor = duration_cast<seconds>(c.duration("dnsbl_min_ttl"));
    s.cache.ttl_ceiling = duration_cast<seconds>(c.duration("dnsbl_max_ttl"));
    s.cache.max_entries = static_cast<std::size_t>(c.integer("dnsbl_cache_size"));
    s.tempfail_when_all_failed = c.str("dns_failure_action") == "tempfail";
    s.stage = stage_of(c.str("reject_stage"));
    s.score_only = c.flag("score_only");
    s.score_header = c.str("score_header");
    for (const auto& r : c.list("always_accept_recipients")) s.always_accept.push_back(to_lower_ascii(r));
    s.internal_hosts = c.cidrs("internal_hosts");
    s.allow_clients = c.cidrs("allow_clients");
    for (const auto& d : c.list("allow_sender_domains")) s.allow_sender_domains.push_back(to_lower_ascii(d));
    s.skip_authenticated = c.flag("skip_authenticated");
    s.failure_action = c.str("failure_action") == "accept" ? milter::FailureAction::Accept
                                                           : milter::FailureAction::Tempfail;
    s.dry_run = c.flag("dry_run");
}

}  // namespace

const ReplyTemplate& DnsblSettings::reply_for(const DnsblSite& site) const {
    if (reply_map) {
        if (const ReplyTemplate* t = reply_map->find(site.display_zone)) return *t;
    }
    return *default_reply;
}

bool DnsblSettings::uses_from_header() const {
    if (check_from_header && !sender_access->empty()) return true;
    for (const auto& s : sites)
        if (s.target == DnsblTarget::FromDomain) return true;
    return false;
}

Result<DnsblSettings> load_dnsbl_settings(const config::Config& c) {
    DnsblSettings s;
    load_plain(c, s);
    if (s.score_header.empty() || s.score_header.find_first_of(": \t\r\n") != std::string::npos)
        return fail(daemon::config_error(c, "score_header", "not a header field name: " + s.score_header));
    if (auto r = load_sites(c, s); !r) return fail(r.error());
    if (auto r = load_replies(c, s); !r) return fail(r.error());
    if (auto r = load_tables(c, s); !r) return fail(r.error());
    return s;
}

Result<bool> check_dnsbl_config(const config::Config& c) {
    auto spec = daemon::ListenSpec::parse(c.str("listen"), false);
    if (!spec) return fail(daemon::config_error(c, "listen", spec.error().message));
    auto s = load_dnsbl_settings(c);
    if (!s) return fail(s.error());
    return true;
}

}  // namespace mw::dnsbl
