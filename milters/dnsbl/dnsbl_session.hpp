// DnsblSession: the milter::Session of mailwarden-dnsbl, one per MTA connection.
// It gathers what the lists and tables are asked about (client address and verified name at
// connect, HELO, envelope sender, From: header) and decides once per message at reject_stage
// (default RCPT, so the log line holds sender and recipient):
//   1. skips: internal_hosts, SASL-authenticated clients (skip_authenticated);
//   2. client_access then sender_access (Postfix access(5) actions; OK ends all checks, DUNNO
//      goes on, REJECT/DEFER/4NN/5NN refuse, DISCARD, HOLD, WARN logs, PREPEND adds a header);
//   3. allow_clients / allow_sender_domains skip the lists;
//   4. every DNS list at once (DnsblChecker); blocked when the score reaches dnsbl_threshold,
//      with the strongest listing's reply template; when every list failed, dns_failure_action.
// Recipients in always_accept_recipients (postmaster, abuse) are never refused. rhsbl_from_sites
// and check_from_header are decided at end of headers. score_only refuses nothing for the lists
// and adds the score header instead. dry_run logs dry_run=ACTION and refuses nothing.
// One decision log line per message. Thread-compatible (the driver calls it from one thread at a
// time); the snapshot it holds is immutable and shared.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "common/dns/resolver.hpp"
#include "common/log/decision_line.hpp"
#include "common/milter/milter_spec.hpp"
#include "common/milter/session.hpp"
#include "common/table/access_action.hpp"
#include "milters/dnsbl/dnsbl_checker.hpp"
#include "milters/dnsbl/dnsbl_settings.hpp"

namespace mw::dnsbl {

/// What every session of one configuration generation shares.
struct DnsblSnapshot {
    DnsblSettings settings;
    std::shared_ptr<dns::Resolver> resolver;
    std::unique_ptr<dns::AnswerCache> cache;       // set by attach_checker()
    std::unique_ptr<DnsblChecker> checker;   // set by attach_checker(), uses resolver and cache

    /// Re-reads changed table files, at most once per table_check_interval (any thread).
    void refresh_tables() const;

private:
    mutable std::mutex refresh_mu_;
    mutable std::chrono::steady_clock::time_point next_refresh_{};
};

/// Builds the cache and checker on the snapshot's resolver (after privileges are dropped).
Result<bool> attach_checker(DnsblSnapshot& snap);

/// The protocol steps, macros and actions mailwarden-dnsbl negotiates.
milter::MilterSpec dnsbl_milter_spec(const DnsblSettings& settings);

class DnsblSession : public milter::Session {
public:
    explicit DnsblSession(std::shared_ptr<const DnsblSnapshot> snapshot);

    milter::Reply on_connect(const milter::ConnectInfo& client, const milter::Macros& macros) override;
    milter::Reply on_helo(std::string_view helo, const milter::Macros& macros) override;
    milter::Reply on_mail(const std::vector<std::string>& args, const milter::Macros& macros) override;
    milter::Reply on_rcpt(const std::vector<std::string>& args, const milter::Macros& macros) override;
    milter::Reply on_header(std::string_view name, std::string_view value) override;
    milter::Reply on_eoh(const milter::Macros& macros) override;
    milter::Reply on_eom(milter::MessageEdits& edits, const milter::Macros& macros) override;
    void on_abort() override;

private:
    struct Decision {
        milter::Reply reply;                 // Continue when the message may go on
        std::string result;                  // dnsbl=... in the log line
        std::vector<std::pair<std::string, std::string>> fields;
        std::string header;                  // score_only: the score header value
        std::string prepend;                 // access PREPEND: "Name: value"
    };

    void reset_message();
    milter::Reply at_stage(RejectStage stage, const milter::Macros& macros, std::string_view recipient);
    Decision decide(std::string_view recipient) const;
    std::optional<Decision> access_decision() const;
    Decision lists_decision(std::string_view recipient) const;
    milter::Reply refusal(const DnsblResult& result, std::string_view recipient, std::string& text_out) const;
    milter::Reply finish(Decision& d, const milter::Macros& macros, std::string_view recipient);
    bool always_accepted(std::string_view recipient) const;

    std::shared_ptr<const DnsblSnapshot> snap_;
    std::optional<net::IpAddress> client_ip_;
    std::string client_address_;
    std::string client_name_;     // verified name, empty when unknown
    std::string helo_;
    std::string sender_;
    std::string from_address_;
    std::string skip_;            // why every check is skipped for this connection/message
    bool from_seen_ = false;
    std::optional<Decision> decision_;   // this message's, once made
    bool logged_ = false;
};

}  // namespace mw::dnsbl
