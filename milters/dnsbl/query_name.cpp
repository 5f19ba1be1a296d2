#include "milters/dnsbl/query_name.hpp"

#include <algorithm>

#include "common/base/ascii.hpp"
#include "common/base/limits.hpp"

namespace mw::dnsbl {

namespace {

bool is_ldh(char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
}

// Host name check as Postfix's valid_hostname(): dotted LDH labels, none empty or too long,
// no label starting or ending with '-'.
bool valid_host_name(std::string_view name) {
    if (name.empty() || name.size() > limits::kMaxDnsName) return false;
    std::size_t start = 0;
    while (start <= name.size()) {
        auto dot = std::min(name.find('.', start), name.size());
        auto label = name.substr(start, dot - start);
        if (label.empty() || label.size() > limits::kMaxDnsLabel) return false;
        if (label.front() == '-' || label.back() == '-') return false;
        if (!std::all_of(label.begin(), label.end(), is_ldh)) return false;
        start = dot + 1;
    }
    return true;
}

bool all_digits(std::string_view s) {
    return !s.empty() &&
           std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

std::optional<std::string> join(std::string_view prefix, std::string_view zone) {
    if (prefix.size() + 1 + zone.size() > limits::kMaxDnsName) return std::nullopt;
    std::string name;
    name.reserve(prefix.size() + 1 + zone.size());
    name.append(prefix).append(".").append(zone);
    return name;
}

}  // namespace

std::optional<std::string> client_query_name(const net::IpAddress& client, std::string_view zone) {
    return join(client.unmapped().reverse_name(), zone);
}

std::optional<std::string> rhsbl_domain(std::string_view name_or_address) {
    auto at = name_or_address.rfind('@');
    auto domain = at == std::string_view::npos ? name_or_address : name_or_address.substr(at + 1);
    if (!domain.empty() && domain.back() == '.') domain.remove_suffix(1);
    if (domain.empty() || domain.front() == '[') return std::nullopt;
    std::string lower = to_lower_ascii(domain);
    if (!valid_host_name(lower)) return std::nullopt;
    auto last_dot = lower.rfind('.');
    auto tld = last_dot == std::string::npos ? std::string_view(lower)
                                             : std::string_view(lower).substr(last_dot + 1);
    if (all_digits(tld)) return std::nullopt;
    return lower;
}

std::optional<std::string> domain_query_name(std::string_view name_or_address,
                                             std::string_view zone) {
    auto domain = rhsbl_domain(name_or_address);
    if (!domain) return std::nullopt;
    return join(*domain, zone);
}

}  // namespace mw::dnsbl
