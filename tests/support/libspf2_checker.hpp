// Libspf2Checker: Debian's libspf2 1.2.10 behind SpfChecker, as a second opinion on SpfEvaluator in
// the differential tests (tests/differential). Test-only and never fit for a daemon: libspf2 fails
// RFC 7208 conformance in several ways (the differential test lists the categories it skips), and
// CVE-2023-42118 is unpatched in Debian 12 (a mechanism with 127 macros and a long literal smashes
// the stack of SPF_c_mech_add while the record is compiled).
// No network: libspf2 resolves through its in-memory zone layer (spf2/spf_dns_zone.h), filled once
// from ZoneRecords. A name of the zone answers NODATA for the types it lacks, any other name
// NXDOMAIN (as FakeResolver does); no wildcards (the zone layer matches them by bare suffix).
// The request's deadline is ignored: the zone answers at once.
// The only file in the tree that includes <spf2/spf.h>. Thread-compatible: one checker per thread.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "common/base/c_handle.hpp"
#include "common/base/result.hpp"
#include "common/dns/resolver.hpp"
#include "common/spf/spf_checker.hpp"

struct SPF_server_struct;   // SPF_server_t, kept opaque so that <spf2/spf.h> stays in the .cpp

namespace mw::test {

namespace detail {
void free_spf_server(SPF_server_struct* server);   // SPF_server_free, which also frees the zone
}  // namespace detail

/// One record of a test zone, as text: A/AAAA "192.0.2.1", MX "10 mx.example.com", TXT the
/// joined text, PTR the target name. Names without trailing dot, no wildcards.
struct ZoneRecord {
    std::string name;
    dns::RrType type = dns::RrType::A;
    std::string data;
};

class Libspf2Checker : public spf::SpfChecker {
public:
    /// A checker whose DNS is exactly `zone`; %{r} is `receiver`. Fails on an unsupported record
    /// type or data libspf2 cannot parse, or when libspf2 runs out of memory.
    static Result<std::unique_ptr<Libspf2Checker>> create(const std::vector<ZoneRecord>& zone,
                                                          const std::string& receiver = "unknown");

    /// check_host() by libspf2 for the request's identity (MAIL FROM, or HELO as
    /// postmaster@helo). Result, domain, sender, problem (libspf2's messages) and dns_lookups
    /// are filled; mechanism and ttl are not (libspf2 does not tell them).
    spf::SpfOutcome check(const spf::SpfRequest& req, Deadline deadline) override;

private:
    using ServerHandle = CHandle<SPF_server_struct, &detail::free_spf_server>;
    explicit Libspf2Checker(ServerHandle server) : server_(std::move(server)) {}

    ServerHandle server_;
};

}  // namespace mw::test
