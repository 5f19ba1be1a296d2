// ListLookups: the lookups smtpd's restriction list makes for a client, without the milter: one
// A query per DNS list (RFC 5782 reversed-octet names) through our resolver
// (mw::dns::UnboundResolver, as the milter uses it), either one after another (what
// smtpd_client_restrictions = reject_rbl_client a, reject_rbl_client b, ... does) or all at
// once (query_many, what the milter's checker does). Thread-safe (the resolver is).
#pragma once

#include <chrono>
#include <string>
#include <vector>

#include "common/dns/resolver.hpp"

namespace mw::bench {

class ListLookups {
public:
    ListLookups(dns::Resolver& resolver, std::vector<std::string> zones, std::chrono::milliseconds timeout)
        : resolver_(resolver), zones_(std::move(zones)), timeout_(timeout) {}

    /// The zones that list `client` (A answers), asking them one after another.
    int sequential(const std::string& client) const;
    /// The same, asking every zone at once.
    int parallel(const std::string& client) const;

private:
    std::vector<dns::Question> questions(const std::string& client) const;

    dns::Resolver& resolver_;
    std::vector<std::string> zones_;
    std::chrono::milliseconds timeout_;
};

}  // namespace mw::bench
