// DnsblChecker: asks every configured DNS list about one client and scores the answers.
// All A queries of one check go out at once (dns::Resolver::query_many), each bounded by the
// per-query timeout and all by the overall deadline; the TXT records of the names that are
// listed ($rbl_reason) follow in a second parallel round within the same deadline. Identical
// query names (a zone listed twice with different filters) are asked once. Answers come from
// and go to the dns::AnswerCache when one is given. A list that fails, times out or gives an error
// code (dnsbl_answer.hpp) counts as not listed, is logged as a warning and reported as Failed;
// the caller applies dns_failure_action when DnsblResult::all_failed(). Only display zones
// appear in outcomes and logs (never a DQS key). Thread-safe: check() is const and the
// resolver and cache are thread-safe; one checker serves every connection.
#pragma once

#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "common/dns/resolver.hpp"
#include "common/net/ip_address.hpp"
#include "common/dns/answer_cache.hpp"
#include "milters/dnsbl/dnsbl_result.hpp"
#include "milters/dnsbl/dnsbl_site.hpp"

namespace mw::dnsbl {

/// What one connection (and message) offers the lists. Empty fields are not looked up.
struct DnsblSubject {
    std::optional<net::IpAddress> client_address;
    std::string client_name;  // verified reverse name; "unknown" (Postfix) counts as none
    std::string helo_name;
    std::string sender;        // envelope sender address; empty for the null sender
    std::string from_address;  // the From: header's address (or just its domain)
};

class DnsblChecker {
public:
    struct Options {
        std::chrono::milliseconds query_timeout{std::chrono::seconds(5)};  // dns_timeout
        std::chrono::milliseconds deadline{std::chrono::seconds(10)};      // all lists of one check
        bool fetch_txt = true;                                             // for $rbl_reason
    };

    /// `resolver` and `cache` (may be nullptr) must outlive the checker.
    DnsblChecker(std::vector<DnsblSite> sites, dns::Resolver& resolver, dns::AnswerCache* cache,
                 Options options);

    DnsblResult check(const DnsblSubject& subject) const;
    const std::vector<DnsblSite>& sites() const { return sites_; }

private:
    using Answers = std::map<std::string, dns::Answer>;
    Answers resolve(const std::vector<std::string>& names, dns::RrType type,
                    Deadline overall) const;
    void classify(SiteOutcome& outcome, const dns::Answer& answer) const;
    void fetch_reasons(DnsblResult& result, const std::vector<std::string>& names,
                       Deadline overall) const;

    std::vector<DnsblSite> sites_;
    dns::Resolver& resolver_;
    dns::AnswerCache* cache_;
    Options options_;
};

}  // namespace mw::dnsbl
