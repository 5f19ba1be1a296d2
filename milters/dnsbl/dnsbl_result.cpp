#include "milters/dnsbl/dnsbl_result.hpp"

namespace mw::dnsbl {

const char* to_string(DnsblVerdict verdict) {
    switch (verdict) {
        case DnsblVerdict::Pass: return "pass";
        case DnsblVerdict::Blocked: return "blocked";
        case DnsblVerdict::Allowlisted: return "allowlisted";
    }
    return "pass";
}

std::size_t DnsblResult::failed_count() const {
    std::size_t n = 0;
    for (const auto& s : sites)
        if (s.status == DnsblStatus::Failed) ++n;
    return n;
}

bool DnsblResult::all_failed() const {
    std::size_t asked = 0;
    for (const auto& s : sites)
        if (s.status != DnsblStatus::Skipped) ++asked;
    return asked > 0 && failed_count() == asked;
}

DnsblVerdict DnsblResult::verdict(const DnsblThresholds& thresholds) const {
    if (score >= thresholds.threshold) return DnsblVerdict::Blocked;
    if (thresholds.allowlist_threshold < 0 && score <= thresholds.allowlist_threshold)
        return DnsblVerdict::Allowlisted;
    return DnsblVerdict::Pass;
}

const SiteOutcome* DnsblResult::strongest_listing() const {
    const SiteOutcome* best = nullptr;
    for (const auto& s : sites)
        if (s.listed() && s.site.weight > 0 && (!best || s.site.weight > best->site.weight))
            best = &s;
    return best;
}

}  // namespace mw::dnsbl
