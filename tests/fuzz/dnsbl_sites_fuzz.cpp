// Fuzzes the postscreen_dnsbl_sites grammar (zones, filters, weights, $dqs_key) and the query
// names and answer matching built from what it accepts.
#include <cstdint>
#include <string_view>

#include "milters/dnsbl/dnsbl_answer.hpp"
#include "milters/dnsbl/dnsbl_site.hpp"
#include "milters/dnsbl/query_name.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    auto sites = mw::dnsbl::parse_dnsbl_sites(text, mw::dnsbl::DnsblTarget::ClientAddress, "key1");
    const auto code = *mw::net::IpAddress::parse("127.0.0.2");
    if (sites) {
        for (const auto& s : *sites) {
            (void)s.to_string();
            (void)s.redact(text);
            (void)mw::dnsbl::client_query_name(code, s.query_zone);
            (void)mw::dnsbl::domain_query_name(text, s.query_zone);
            if (s.filter) (void)s.filter->matches(code);
        }
    }
    if (auto filter = mw::dnsbl::ReplyFilter::parse(text)) (void)filter->matches(code);
    (void)mw::dnsbl::rhsbl_domain(text);
    return 0;
}
