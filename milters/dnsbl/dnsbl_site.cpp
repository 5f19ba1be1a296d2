#include "milters/dnsbl/dnsbl_site.hpp"

#include <fmt/format.h>

#include <charconv>

#include "common/base/ascii.hpp"
#include "common/base/limits.hpp"
#include "common/base/list_split.hpp"

namespace mw::dnsbl {

const char* to_string(DnsblTarget target) {
    switch (target) {
        case DnsblTarget::ClientAddress: return "client";
        case DnsblTarget::SenderDomain: return "sender";
        case DnsblTarget::HeloName: return "helo";
        case DnsblTarget::ClientName: return "client_name";
        case DnsblTarget::FromDomain: return "from";
    }
    return "client";
}

const char* rbl_class(DnsblTarget target) {
    // Postfix smtpd_check.c: SMTPD_NAME_CLIENT, _SENDER, _HELO. The From: header has no
    // Postfix counterpart; "Header address" follows the same pattern.
    switch (target) {
        case DnsblTarget::ClientAddress: return "Client host";
        case DnsblTarget::SenderDomain: return "Sender address";
        case DnsblTarget::HeloName: return "Helo command";
        case DnsblTarget::ClientName: return "Client host";
        case DnsblTarget::FromDomain: return "Header address";
    }
    return "Client host";
}

namespace {

bool is_label_char(char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
}

// A zone is a dotted name of letters, digits, '-' and '_' (some lists use '_' labels).
Result<void> check_zone(std::string_view zone) {
    if (zone.empty()) return fail(ErrorCode::Invalid, "empty zone");
    if (zone.size() > limits::kMaxDnsName) return fail(ErrorCode::TooLong, "zone name too long");
    std::size_t label = 0;
    for (char c : zone) {
        if (c == '.') {
            if (label == 0) return fail(ErrorCode::Invalid, "empty label in zone");
            label = 0;
            continue;
        }
        if (!is_label_char(c))
            return fail(ErrorCode::Invalid, fmt::format("bad character '{}' in zone", c));
        if (++label > limits::kMaxDnsLabel) return fail(ErrorCode::TooLong, "zone label too long");
    }
    if (label == 0) return fail(ErrorCode::Invalid, "empty label in zone");
    return {};
}

Result<void> check_dqs_key(std::string_view key) {
    if (key.empty()) return fail(ErrorCode::Invalid, "zone uses $dqs_key but dqs_key is empty");
    if (key.size() > limits::kMaxDnsblDqsKey) return fail(ErrorCode::TooLong, "dqs_key too long");
    for (char c : key)
        if (!is_label_char(to_lower_ascii(c)) || c == '_')
            return fail(ErrorCode::Invalid, "dqs_key must be letters, digits and '-'");
    return {};
}

std::string replace_all(std::string_view text, std::string_view from, std::string_view to) {
    std::string out;
    if (from.empty()) return std::string(text);
    std::size_t start = 0;
    for (auto pos = text.find(from); pos != std::string_view::npos; pos = text.find(from, start)) {
        out.append(text.substr(start, pos - start)).append(to);
        start = pos + from.size();
    }
    out.append(text.substr(start));
    return out;
}

Result<int> parse_weight(std::string_view text) {
    int value = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (text.empty() || ec != std::errc() || end != text.data() + text.size())
        return fail(ErrorCode::Invalid, fmt::format("bad weight \"{}\"", text));
    if (value > limits::kMaxDnsblWeight || value < -limits::kMaxDnsblWeight)
        return fail(ErrorCode::TooLong, fmt::format("weight {} out of range", value));
    return value;
}

// Fills display_zone, query_zone and secret from the configured zone text.
Result<void> set_zones(DnsblSite& site, std::string_view zone_text, std::string_view dqs_key) {
    std::string zone = to_lower_ascii(zone_text);
    if (!zone.empty() && zone.back() == '.') zone.pop_back();
    site.display_zone = zone;
    if (zone.find(kDqsKeyPlaceholder) != std::string::npos) {
        if (auto ok = check_dqs_key(dqs_key); !ok) return fail(ok.error());
        site.secret = std::string(dqs_key);
        zone = replace_all(zone, kDqsKeyPlaceholder, to_lower_ascii(dqs_key));
    }
    if (auto ok = check_zone(zone); !ok) return fail(ok.error());
    site.query_zone = std::move(zone);
    return {};
}

}  // namespace

std::string DnsblSite::to_string() const {
    std::string out = display_zone;
    if (filter) out += "=" + filter->text();
    if (weight != 1) out += fmt::format("*{}", weight);
    return out;
}

std::string DnsblSite::redact(std::string_view text) const {
    if (secret.empty()) return std::string(text);
    std::string out = replace_all(text, query_zone, display_zone);
    out = replace_all(out, secret, kDqsKeyPlaceholder);
    return replace_all(out, to_lower_ascii(secret), kDqsKeyPlaceholder);
}

Result<DnsblSite> parse_dnsbl_site(std::string_view entry, DnsblTarget target,
                                   std::string_view dqs_key) {
    DnsblSite site;
    site.target = target;
    auto star = entry.find('*');
    if (star != std::string_view::npos) {
        auto weight = parse_weight(entry.substr(star + 1));
        if (!weight)
            return fail(ErrorCode::Invalid,
                        fmt::format("\"{}\": {}", entry, weight.error().message));
        site.weight = *weight;
    }
    auto head = entry.substr(0, star);
    auto eq = head.find('=');
    if (eq != std::string_view::npos) {
        auto filter = ReplyFilter::parse(head.substr(eq + 1));
        if (!filter)
            return fail(ErrorCode::Invalid,
                        fmt::format("\"{}\": {}", entry, filter.error().message));
        site.filter = std::move(*filter);
    }
    if (auto ok = set_zones(site, head.substr(0, eq), dqs_key); !ok)
        return fail(ok.error().code, fmt::format("\"{}\": {}", entry, ok.error().message));
    return site;
}

Result<std::vector<DnsblSite>> parse_dnsbl_sites(std::string_view value, DnsblTarget target,
                                                 std::string_view dqs_key) {
    auto entries = split_list(value);
    if (entries.size() > limits::kMaxDnsblSites)
        return fail(ErrorCode::TooLong,
                    fmt::format("more than {} DNS list entries", limits::kMaxDnsblSites));
    std::vector<DnsblSite> sites;
    for (auto entry : entries) {
        auto site = parse_dnsbl_site(entry, target, dqs_key);
        if (!site) return fail(site.error());
        sites.push_back(std::move(*site));
    }
    return sites;
}

}  // namespace mw::dnsbl
