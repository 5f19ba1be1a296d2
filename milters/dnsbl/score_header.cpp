#include "milters/dnsbl/score_header.hpp"

#include <fmt/format.h>

#include "common/base/limits.hpp"

namespace mw::dnsbl {

namespace {

std::string entry_for(const SiteOutcome& s) {
    if (s.status == DnsblStatus::Failed) return fmt::format("{}=error", s.site.display_zone);
    const std::string code = s.codes.empty() ? std::string("?") : s.codes.front().to_string();
    return fmt::format("{}={}*{}", s.site.display_zone, code, s.site.weight);
}

}  // namespace

std::string render_score_header(const DnsblResult& result) {
    std::string out = fmt::format("score={}", result.score);
    for (const auto& s : result.sites) {
        if (!s.listed() && s.status != DnsblStatus::Failed) continue;
        auto entry = entry_for(s);
        if (out.size() + 2 + entry.size() > limits::kMaxDnsblScoreHeader) break;
        out.append("; ").append(entry);
    }
    return out;
}

}  // namespace mw::dnsbl
