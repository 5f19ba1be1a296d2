#include "milters/dnsbl/dnsbl_checker.hpp"

#include <set>

#include "common/base/limits.hpp"
#include "common/log/logger.hpp"
#include "milters/dnsbl/query_name.hpp"

namespace mw::dnsbl {

namespace {

struct Plan {
    std::string what;   // $rbl_what
    std::string query;  // empty: skipped
    std::string why;    // why skipped
};

Plan plan_domain(const std::string& what, const DnsblSite& site, const char* missing) {
    if (what.empty()) return {what, {}, missing};
    auto name = domain_query_name(what, site.query_zone);
    if (!name) return {what, {}, "not a host name an RHSBL can be asked, or too long"};
    return {what, std::move(*name), {}};
}

Plan plan(const DnsblSite& site, const DnsblSubject& subject) {
    switch (site.target) {
        case DnsblTarget::ClientAddress: {
            if (!subject.client_address) return {{}, {}, "no client address"};
            auto what = subject.client_address->unmapped().to_string();
            auto name = client_query_name(*subject.client_address, site.query_zone);
            if (!name) return {what, {}, "query name too long"};
            return {what, std::move(*name), {}};
        }
        case DnsblTarget::SenderDomain: return plan_domain(subject.sender, site, "null sender");
        case DnsblTarget::HeloName: return plan_domain(subject.helo_name, site, "no HELO name");
        case DnsblTarget::ClientName:
            if (subject.client_name == "unknown")
                return {subject.client_name, {}, "no verified client name"};
            return plan_domain(subject.client_name, site, "no verified client name");
        case DnsblTarget::FromDomain:
            return plan_domain(subject.from_address, site, "no From: address");
    }
    return {{}, {}, "unknown target"};
}

// TXT text for $rbl_reason: records joined with " / " (as Postfix), printable, bounded.
std::string reason_from(const dns::Answer& txt, const DnsblSite& site) {
    std::string joined;
    for (const auto& t : txt.texts) {
        if (!joined.empty()) joined += " / ";
        joined += t;
        if (joined.size() > limits::kMaxDnsblReason) break;
    }
    std::string out = site.redact(joined);
    for (char& c : out)
        if (static_cast<unsigned char>(c) < 0x20 || static_cast<unsigned char>(c) >= 0x7f) c = '_';
    if (out.size() > limits::kMaxDnsblReason) out.resize(limits::kMaxDnsblReason);
    return out;
}

}  // namespace

DnsblChecker::DnsblChecker(std::vector<DnsblSite> sites, dns::Resolver& resolver, dns::AnswerCache* cache,
                           Options options)
    : sites_(std::move(sites)), resolver_(resolver), cache_(cache), options_(options) {}

DnsblChecker::Answers DnsblChecker::resolve(const std::vector<std::string>& names, dns::RrType type,
                                            Deadline overall) const {
    std::vector<dns::Question> questions;
    const std::set<std::string> unique(names.begin(), names.end());
    for (const auto& name : unique)
        if (!name.empty()) questions.push_back({name, type});
    Answers out;
    if (questions.empty()) return out;
    const auto deadline = Deadline::after(options_.query_timeout).min(overall);
    auto answers = dns::query_many_cached(resolver_, cache_, questions, deadline);
    for (std::size_t i = 0; i < questions.size() && i < answers.size(); ++i)
        out.insert_or_assign(questions[i].name, std::move(answers[i]));
    return out;
}

void DnsblChecker::classify(SiteOutcome& outcome, const dns::Answer& answer) const {
    const auto& site = outcome.site;
    auto classified = classify_answer(answer, site.filter ? &*site.filter : nullptr);
    outcome.status = classified.status;
    outcome.codes = std::move(classified.codes);
    if (outcome.status != DnsblStatus::Failed) return;
    outcome.why = site.redact(classified.why);
    log::warning("dnsbl: {} lookup for {} failed: {}", site.display_zone, outcome.what,
                 outcome.why);
}

void DnsblChecker::fetch_reasons(DnsblResult& result, const std::vector<std::string>& names,
                                 Deadline overall) const {
    std::vector<std::string> listed;
    for (std::size_t i = 0; i < result.sites.size(); ++i)
        if (result.sites[i].listed()) listed.push_back(names[i]);
    if (listed.empty() || overall.expired()) return;
    auto txts = resolve(listed, dns::RrType::TXT, overall);
    for (std::size_t i = 0; i < result.sites.size(); ++i) {
        auto it = txts.find(names[i]);
        if (result.sites[i].listed() && it != txts.end() && it->second.ok())
            result.sites[i].reason = reason_from(it->second, result.sites[i].site);
    }
}

DnsblResult DnsblChecker::check(const DnsblSubject& subject) const {
    const auto overall = Deadline::after(options_.deadline);
    DnsblResult result;
    std::vector<std::string> names;
    for (const auto& site : sites_) {
        auto p = plan(site, subject);
        SiteOutcome outcome{site, DnsblStatus::Skipped, std::move(p.what), {},
                            {},   std::move(p.why)};
        result.sites.push_back(std::move(outcome));
        names.push_back(std::move(p.query));
    }
    auto answers = resolve(names, dns::RrType::A, overall);
    for (std::size_t i = 0; i < result.sites.size(); ++i)
        if (auto it = answers.find(names[i]); it != answers.end())
            classify(result.sites[i], it->second);
    if (options_.fetch_txt) fetch_reasons(result, names, overall);
    for (const auto& s : result.sites) {
        result.score += s.score();
        if (s.score() < 0) result.allowlist_score += s.score();
    }
    return result;
}

}  // namespace mw::dnsbl
