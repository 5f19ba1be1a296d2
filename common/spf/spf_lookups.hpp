// SpfLookups: the DNS side of one check_host() run (RFC 7208 §4.4, §4.6.4, §5.5). Counts
// DNS-querying terms (limits::kMaxSpfDnsTerms) and void lookups (limits::kMaxSpfVoidLookups),
// turns DNS failures into temperror, keeps the smallest TTL seen, and validates PTR names
// (at most limits::kMaxSpfPtrNames, their address lookups sent in parallel). Every query is
// bounded by the caller's deadline. One instance per check; not thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <tl/expected.hpp>

#include "common/base/deadline.hpp"
#include "common/dns/resolver.hpp"
#include "common/spf/spf_checker.hpp"

namespace mw::spf {

/// Why an evaluation stopped early: temperror or permerror, with the reason.
struct SpfError {
    SpfResult result = SpfResult::PermError;
    std::string problem;
};

template <typename T>
using Eval = tl::expected<T, SpfError>;

inline tl::unexpected<SpfError> spf_error(SpfResult r, std::string problem) {
    return tl::unexpected<SpfError>(SpfError{r, std::move(problem)});
}

class SpfLookups {
public:
    SpfLookups(dns::Resolver& resolver, Deadline deadline) : resolver_(resolver), deadline_(deadline) {}

    /// Counts one DNS-querying term (include, a, mx, ptr, exists, redirect); permerror past 10.
    Eval<bool> count_term();

    /// One query. DNS failure -> temperror. A void answer counts against the void limit when
    /// `counts_void` (mechanism lookups, §4.6.4), and past it gives permerror.
    Eval<dns::Answer> query(const std::string& name, dns::RrType type, bool counts_void);

    /// Address lookups of several names at once (MX hosts); any DNS failure -> temperror.
    Eval<std::vector<dns::Answer>> query_addresses(const std::vector<std::string>& names,
                                                   dns::RrType type);

    /// §5.5: the PTR names of `client` whose A/AAAA records include `client`, at most
    /// kMaxSpfPtrNames looked at. DNS errors make a name (or all of them) not validated.
    std::vector<std::string> validated_names(const net::IpAddress& client);

    int terms() const { return terms_; }
    /// Smallest TTL of the answers used; 0 when none.
    uint32_t ttl() const { return seen_answer_ ? ttl_ : 0; }

private:
    void note_ttl(const dns::Answer& a);

    dns::Resolver& resolver_;
    Deadline deadline_;
    int terms_ = 0;
    int voids_ = 0;
    bool seen_answer_ = false;
    uint32_t ttl_ = 0;
};

/// True for DNS outcomes that RFC 7208 §4.4/§5 make a temperror (timeout, SERVFAIL, ...).
bool is_dns_failure(const dns::Answer& a);

}  // namespace mw::spf
