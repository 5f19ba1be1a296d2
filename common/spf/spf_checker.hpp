// SPF (RFC 7208) check_host() behind one interface, so that the policy daemon does not care
// which evaluator answers. SpfEvaluator (spf_evaluator.hpp) is the production one; tests also
// wrap libspf2 behind it as a second opinion.
#pragma once

#include <cstdint>
#include <string>

#include "common/base/deadline.hpp"
#include "common/net/ip_address.hpp"

namespace mw::spf {

enum class SpfResult { None, Neutral, Pass, Fail, SoftFail, TempError, PermError };

/// Lower-case RFC 7208 name: "pass", "softfail", "temperror", ...
const char* to_string(SpfResult r);

/// Which identity is checked (RFC 7208 §2.3, §2.4).
enum class Identity { Helo, MailFrom };
const char* to_string(Identity id);   // "helo", "mailfrom"

struct SpfRequest {
    net::IpAddress client;       // as received; v4-mapped IPv6 is treated as IPv4 (§5, §7.3 %{i})
    std::string helo;            // the HELO/EHLO argument as given
    std::string sender;          // the MAIL FROM address without <>; empty for the null sender
    Identity identity = Identity::MailFrom;
    std::string receiver;        // %{r}: the receiving host's name; "unknown" when empty
};

struct SpfOutcome {
    SpfResult result = SpfResult::None;
    std::string domain;          // the <domain> check_host() started with
    std::string sender;          // the <sender> used: postmaster@helo for HELO and null sender
    std::string mechanism;       // the term that matched, e.g. "ip4:192.0.2.0/24", "default" when none did
    std::string explanation;     // for fail: the expanded exp= text (or the default explanation)
    std::string problem;         // for permerror/temperror/none: why, for logs and headers
    uint32_t ttl = 0;            // smallest TTL of the DNS answers used: how long the outcome may be cached
    int dns_lookups = 0;         // DNS-querying terms used (for logs and tests)
};

class SpfChecker {
public:
    virtual ~SpfChecker() = default;
    /// Evaluates one identity. Never throws; DNS trouble is TempError, by the deadline.
    virtual SpfOutcome check(const SpfRequest& req, Deadline deadline) = 0;
    /// A hint that check(req) follows soon: a checker may start its first DNS query now, so
    /// that it runs while the caller does other work (the HELO check). Returns at once;
    /// the default does nothing.
    virtual void prefetch(const SpfRequest& req, Deadline deadline) {
        static_cast<void>(req);
        static_cast<void>(deadline);
    }
};

}  // namespace mw::spf
