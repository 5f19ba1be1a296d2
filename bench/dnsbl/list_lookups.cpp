#include "bench/dnsbl/list_lookups.hpp"

#include "common/base/deadline.hpp"
#include "common/net/ip_address.hpp"
#include "milters/dnsbl/query_name.hpp"

namespace mw::bench {

std::vector<dns::Question> ListLookups::questions(const std::string& client) const {
    std::vector<dns::Question> qs;
    const auto ip = net::IpAddress::parse(client);
    if (!ip) return qs;
    for (const auto& zone : zones_)
        if (auto name = dnsbl::client_query_name(*ip, zone)) qs.push_back({*name, dns::RrType::A});
    return qs;
}

int ListLookups::sequential(const std::string& client) const {
    int listed = 0;
    for (const auto& q : questions(client)) {
        // smtpd waits for each list before asking the next, each with its own timeout.
        if (resolver_.query(q.name, q.type, Deadline::after(timeout_)).ok()) ++listed;
    }
    return listed;
}

int ListLookups::parallel(const std::string& client) const {
    int listed = 0;
    for (const auto& a : resolver_.query_many(questions(client), Deadline::after(timeout_)))
        if (a.ok()) ++listed;
    return listed;
}

}  // namespace mw::bench
