#include "common/spf/spf_lookups.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "common/base/limits.hpp"

namespace mw::spf {

bool is_dns_failure(const dns::Answer& a) {
    return a.rcode != dns::Rcode::NoError && a.rcode != dns::Rcode::NxDomain;
}

void SpfLookups::note_ttl(const dns::Answer& a) {
    if (is_dns_failure(a)) return;
    ttl_ = seen_answer_ ? std::min(ttl_, a.ttl) : a.ttl;
    seen_answer_ = true;
}

Eval<bool> SpfLookups::count_term() {
    // RFC 7208 §4.6.4: at most 10 DNS-querying terms, includes and redirects counted together.
    if (++terms_ > limits::kMaxSpfDnsTerms) {
        return spf_error(SpfResult::PermError,
                         fmt::format("more than {} DNS-querying terms", limits::kMaxSpfDnsTerms));
    }
    return true;
}

Eval<dns::Answer> SpfLookups::query(const std::string& name, dns::RrType type, bool counts_void) {
    auto a = resolver_.query(name, type, deadline_);
    if (is_dns_failure(a)) {
        return spf_error(SpfResult::TempError, fmt::format("DNS {} {}: {}", dns::to_string(type),
                                                           name, dns::to_string(a.rcode)));
    }
    note_ttl(a);
    // RFC 7208 §4.6.4: more than 2 lookups answering NXDOMAIN or no records is a permerror.
    if (counts_void && a.is_void() && ++voids_ > limits::kMaxSpfVoidLookups) {
        return spf_error(SpfResult::PermError, fmt::format("more than {} void DNS lookups",
                                                           limits::kMaxSpfVoidLookups));
    }
    return a;
}

Eval<std::vector<dns::Answer>> SpfLookups::query_addresses(const std::vector<std::string>& names,
                                                           dns::RrType type) {
    std::vector<dns::Question> qs;
    qs.reserve(names.size());
    for (const auto& n : names) qs.push_back(dns::Question{n, type});
    auto answers = resolver_.query_many(qs, deadline_);
    for (std::size_t i = 0; i < answers.size(); ++i) {
        if (is_dns_failure(answers[i])) {
            return spf_error(SpfResult::TempError,
                             fmt::format("DNS {} {}: {}", dns::to_string(type), names[i],
                                         dns::to_string(answers[i].rcode)));
        }
        note_ttl(answers[i]);
    }
    return answers;
}

std::vector<std::string> SpfLookups::validated_names(const net::IpAddress& client) {
    const auto zone = client.is_v4() ? ".in-addr.arpa" : ".ip6.arpa";
    auto ptr = resolver_.query(client.reverse_name() + zone, dns::RrType::PTR, deadline_);
    if (!ptr.ok()) return {};
    note_ttl(ptr);
    // RFC 7208 §4.6.4: names past the first 10 are ignored.
    auto names = ptr.names;
    if (names.size() > static_cast<std::size_t>(limits::kMaxSpfPtrNames)) {
        names.resize(static_cast<std::size_t>(limits::kMaxSpfPtrNames));
    }
    std::vector<dns::Question> qs;
    for (const auto& n : names) {
        qs.push_back(dns::Question{n, client.is_v4() ? dns::RrType::A : dns::RrType::AAAA});
    }
    auto answers = resolver_.query_many(qs, deadline_);
    std::vector<std::string> validated;
    for (std::size_t i = 0; i < answers.size(); ++i) {
        if (!answers[i].ok()) continue;   // §5.5: a failed lookup skips that name
        note_ttl(answers[i]);
        const auto& addrs = answers[i].addresses;
        if (std::find(addrs.begin(), addrs.end(), client) != addrs.end()) {
            validated.push_back(names[i]);
        }
    }
    return validated;
}

}  // namespace mw::spf
