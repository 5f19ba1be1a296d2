#include "milters/dkim/verify_actions.hpp"

#include <fmt/format.h>

#include "common/base/ascii.hpp"

namespace mw::dkim {

namespace {

constexpr std::pair<ResultAction, std::string_view> kNames[] = {
    {ResultAction::Accept, "accept"}, {ResultAction::Reject, "reject"}, {ResultAction::Tempfail, "tempfail"},
    {ResultAction::Hold, "hold"},     {ResultAction::Discard, "discard"},
};

// `name` equals `domain` or is a subdomain of it (label boundary).
bool within(std::string_view name, std::string_view domain) {
    if (iequals_ascii(name, domain)) return true;
    return name.size() > domain.size() + 1 && name[name.size() - domain.size() - 1] == '.' &&
           iequals_ascii(name.substr(name.size() - domain.size()), domain);
}

// d= may sign for the author domain: equal, or a parent with at least two labels.
bool aligned(std::string_view d, std::string_view author_domain) {
    return d.find('.') != std::string_view::npos && within(author_domain, d);
}

enum class Outcome { Pass, TempError, Fail, PermError, None };

Outcome outcome_of(const std::vector<const VerifyResult*>& counted) {
    bool temp = false, failed = false, perm = false;
    for (const VerifyResult* r : counted) {
        switch (r->status) {
            case VerifyStatus::Pass: return Outcome::Pass;
            case VerifyStatus::TempError: temp = true; break;
            case VerifyStatus::Fail:
            case VerifyStatus::Policy:
            case VerifyStatus::Neutral: failed = true; break;
            case VerifyStatus::PermError: perm = true; break;
        }
    }
    if (temp) return Outcome::TempError;
    if (failed) return Outcome::Fail;
    return perm ? Outcome::PermError : Outcome::None;
}

std::optional<std::string> listed_domain(const VerifyActions& a, std::string_view author_domain) {
    if (a.domains.empty()) return std::string();
    if (author_domain.empty()) return std::nullopt;
    for (const auto& d : a.domains)
        if (within(author_domain, d)) return to_lower_ascii(author_domain);
    return std::nullopt;
}

std::string refusal_text(const ActionDecision& d) {
    const std::string who = d.domain.empty() ? std::string("the message") : "mail from " + d.domain;
    if (d.outcome == "none") return fmt::format("DKIM signature required for {}", who);
    if (d.outcome == "temperror") return fmt::format("DKIM key lookup failed for {}, try again later", who);
    if (d.outcome == "permerror") return fmt::format("DKIM signature of {} cannot be checked", who);
    return fmt::format("DKIM signature of {} did not verify", who);
}

}  // namespace

std::string_view result_action_name(ResultAction a) {
    for (const auto& [action, name] : kNames)
        if (action == a) return name;
    return "accept";
}

std::optional<ResultAction> parse_result_action(std::string_view word) {
    for (const auto& [action, name] : kNames)
        if (name == word) return action;
    return std::nullopt;
}

bool VerifyActions::any() const {
    for (ResultAction a : {on_fail, on_permerror, on_temperror, on_none})
        if (a != ResultAction::Accept) return true;
    return false;
}

milter::Reply ActionDecision::reply() const {
    switch (action) {
        case ResultAction::Accept: return milter::Reply::cont();
        case ResultAction::Reject: return milter::Reply::reject(refusal_text(*this), "550", "5.7.1");
        case ResultAction::Tempfail:
            return milter::Reply::tempfail(refusal_text(*this), "451", outcome == "temperror" ? "4.7.5" : "4.7.1");
        case ResultAction::Hold: return milter::Reply::quarantine("dkim=" + outcome + (domain.empty() ? "" : " " + domain));
        case ResultAction::Discard: return milter::Reply::discard();
    }
    return milter::Reply::cont();
}

std::optional<ActionDecision> decide_action(const VerifyActions& actions, std::string_view author_domain,
                                            const std::vector<VerifyResult>& results) {
    if (!actions.any()) return std::nullopt;
    const auto domain = listed_domain(actions, author_domain);
    if (!domain) return std::nullopt;
    std::vector<const VerifyResult*> counted;
    for (const auto& r : results)
        if (domain->empty() || aligned(r.domain, *domain)) counted.push_back(&r);
    ActionDecision d;
    d.domain = *domain;
    switch (outcome_of(counted)) {
        case Outcome::Pass: return std::nullopt;
        case Outcome::TempError: d.outcome = "temperror", d.action = actions.on_temperror; break;
        case Outcome::Fail: d.outcome = "fail", d.action = actions.on_fail; break;
        case Outcome::PermError: d.outcome = "permerror", d.action = actions.on_permerror; break;
        case Outcome::None: d.outcome = "none", d.action = actions.on_none; break;
    }
    if (d.action == ResultAction::Accept) return std::nullopt;
    return d;
}

}  // namespace mw::dkim
