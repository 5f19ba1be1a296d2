#include "policyd/spf_policy.hpp"

#include <algorithm>
#include <cctype>

#include "policyd/reason_message.hpp"

namespace mw::policyd {

namespace {

using spf::Identity;
using spf::SpfResult;

char lower(char c) { return static_cast<char>(std::tolower(static_cast<unsigned char>(c))); }

bool iequals(std::string_view a, std::string_view b) {
    return a.size() == b.size() &&
           std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
               return lower(x) == lower(y);
           });
}

/// `name` is `domain` or one of its subdomains (RFC 7208 §5.5 style), case-insensitive.
bool domain_matches(std::string_view name, std::string_view domain) {
    if (!name.empty() && name.back() == '.') name.remove_suffix(1);
    if (!domain.empty() && domain.back() == '.') domain.remove_suffix(1);
    if (domain.empty()) return false;
    if (iequals(name, domain)) return true;
    return name.size() > domain.size() && name[name.size() - domain.size() - 1] == '.' &&
           iequals(name.substr(name.size() - domain.size()), domain);
}

bool any_domain_matches(std::string_view name, const std::vector<std::string>& domains) {
    return std::any_of(domains.begin(), domains.end(),
                       [&](const std::string& d) { return domain_matches(name, d); });
}

std::string domain_of(std::string_view address) {
    const auto at = address.rfind('@');
    return at == std::string_view::npos ? std::string() : std::string(address.substr(at + 1));
}

bool rejected_by(RejectPolicy policy, Identity scope, SpfResult r) {
    switch (policy) {
        case RejectPolicy::Fail: return r == SpfResult::Fail;
        case RejectPolicy::Softfail: return r == SpfResult::Fail || r == SpfResult::SoftFail;
        case RejectPolicy::SpfNotPass:
            return r == SpfResult::Fail || r == SpfResult::SoftFail || r == SpfResult::Neutral;
        // policyd-spf has no Null case for MAIL FROM: nothing is rejected there.
        case RejectPolicy::Null: return scope == Identity::Helo && r == SpfResult::Fail;
        case RejectPolicy::False:
        case RejectPolicy::NoCheck: return false;
    }
    return false;
}

/// Folds one outcome into a decision's ttl: a temperror is never kept.
void note_ttl(std::uint32_t& ttl, const spf::SpfOutcome& o) {
    ttl = o.result == SpfResult::TempError ? 0 : std::min(ttl, o.ttl);
}

std::string bracketed(std::string_view s, char open, char close) {
    std::string out;
    out.reserve(s.size() + 2);
    out.append(1, open).append(s).push_back(close);
    return out;
}

}  // namespace

Verdict verdict_for(Identity scope, RejectPolicy policy, SpfResult result,
                    const PolicyOptions& options, bool null_sender) {
    if (policy == RejectPolicy::NoCheck) return Verdict::NoAction;
    // Null: "only reject HELO fail for the null sender"; with a sender HELO does nothing.
    if (scope == Identity::Helo && policy == RejectPolicy::Null && !null_sender)
        return Verdict::NoAction;
    if (policy == RejectPolicy::False) return Verdict::Accept;
    if (rejected_by(policy, scope, result)) return Verdict::Reject;
    if (result == SpfResult::TempError && options.temperror_defer) return Verdict::Defer;
    if (result == SpfResult::PermError && options.permerror_reject) return Verdict::Reject;
    return Verdict::Accept;
}

struct SpfPolicy::Run {
    Identity identity = Identity::MailFrom;
    spf::SpfOutcome outcome;
    Verdict verdict = Verdict::Accept;
    bool receiver_policy = false;  // reject_not_pass_domains applied
    std::string id;                // HELO name or sender checked
};

SpfPolicy::SpfPolicy(PolicyOptions options, spf::SpfChecker& checker)
    : options_(std::move(options)), checker_(checker) {}

Decision SpfPolicy::decide(const PolicyRequest& req, Deadline deadline) const {
    Decision d;
    d.queue_id = req.queue_id;
    const auto ip = req.client_ip();
    d.context = {ip ? ip->to_string() : req.client_address, req.helo_name, req.sender};
    if (!ip) {
        d.skipped = "no_client_address";
        return finish(d);
    }
    if (auto skip = skip_reason(req, *ip, deadline, d.ttl)) {
        d.skipped = skip->key;
        if (skip->comment) {
            d.header = skip_trace_header(options_, skip->comment, d.context);
            d.action = ReplyAction::Prepend;
        }
        return finish(d);
    }
    // policyd-spf: an empty HELO takes the sender's domain, else "unknown".
    if (d.context.helo.empty()) d.context.helo = domain_of(req.sender);
    if (d.context.helo.empty()) d.context.helo = "unknown";

    const bool check_mail_from =
        !req.sender.empty() && options_.mail_from_reject != RejectPolicy::NoCheck;
    std::optional<Run> helo;
    if (options_.helo_reject != RejectPolicy::NoCheck) {
        // The MAIL FROM record is needed next in most cases: start its query now, so that it
        // runs during the HELO check instead of after it.
        if (check_mail_from)
            checker_.prefetch({*ip, d.context.helo, req.sender, Identity::MailFrom, options_.receiver},
                              deadline);
        helo = run(Identity::Helo, *ip, d.context, deadline);
        d.helo = helo->outcome;
        note_ttl(d.ttl, helo->outcome);
        if (helo->verdict == Verdict::Reject || helo->verdict == Verdict::Defer)
            return finish(refuse(d, *helo));
    }
    if (!check_mail_from)
        return finish(helo ? prepend(d, Identity::Helo, helo->outcome) : d);

    const Run mfrom = run(Identity::MailFrom, *ip, d.context, deadline);
    d.mailfrom = mfrom.outcome;
    note_ttl(d.ttl, mfrom.outcome);
    if (mfrom.verdict == Verdict::Reject || mfrom.verdict == Verdict::Defer)
        return finish(refuse(d, mfrom));
    // MAIL FROM "none" says nothing: a HELO result, if there was one, is the better header.
    if (mfrom.outcome.result == SpfResult::None && helo && helo->outcome.result != SpfResult::None)
        return finish(prepend(d, Identity::Helo, helo->outcome));
    return finish(prepend(d, Identity::MailFrom, mfrom.outcome));
}

std::optional<SpfPolicy::Skip> SpfPolicy::skip_reason(const PolicyRequest& req,
                                                      const net::IpAddress& ip,
                                                      Deadline deadline,
                                                      std::uint32_t& ttl) const {
    if (options_.skip_sasl && !req.sasl_username.empty()) return Skip{"sasl", nullptr};
    if (options_.skip_addresses.contains(ip))
        return Skip{"skip_addresses", "SPF check N/A for local connections"};
    if (options_.whitelist.contains(ip))
        return Skip{"whitelist", "SPF skipped for whitelisted relay"};
    if (domain_whitelisted(ip, deadline, ttl))
        return Skip{"domain_whitelist", "SPF skipped for whitelisted relay domain"};
    const bool helo_confirmed = !req.helo_name.empty() && iequals(req.helo_name, req.client_name);
    if (helo_confirmed &&
        std::any_of(options_.helo_whitelist.begin(), options_.helo_whitelist.end(),
                    [&](const std::string& h) { return iequals(h, req.helo_name); }))
        return Skip{"helo_whitelist", "SPF skipped for whitelisted HELO domain"};
    if (!req.client_name.empty() && req.client_name != "unknown" &&
        any_domain_matches(req.client_name, options_.domain_whitelist_ptr))
        return Skip{"domain_whitelist_ptr", "SPF skipped for PTR whitelisted relay domain"};
    if (req.sender.empty() && req.helo_name.empty()) return Skip{"no_identity", nullptr};
    return std::nullopt;
}

bool SpfPolicy::domain_whitelisted(const net::IpAddress& ip, Deadline deadline,
                                   std::uint32_t& ttl) const {
    for (const auto& domain : options_.domain_whitelist) {
        spf::SpfRequest r{ip, domain, "postmaster@" + domain, Identity::MailFrom,
                          options_.receiver};
        const spf::SpfOutcome o = checker_.check(r, deadline);
        note_ttl(ttl, o);
        if (o.result == SpfResult::Pass) return true;
    }
    return false;
}

SpfPolicy::Run SpfPolicy::run(Identity id, const net::IpAddress& ip, const HeaderContext& ctx,
                              Deadline deadline) const {
    Run r;
    r.identity = id;
    r.id = id == Identity::Helo ? ctx.helo : ctx.sender;
    const spf::SpfRequest req{ip, ctx.helo, id == Identity::Helo ? std::string() : ctx.sender,
                              id, options_.receiver};
    r.outcome = checker_.check(req, deadline);
    RejectPolicy policy = id == Identity::Helo ? options_.helo_reject : options_.mail_from_reject;
    const std::string name = id == Identity::Helo ? ctx.helo : domain_of(ctx.sender);
    if (any_domain_matches(name, options_.reject_not_pass_domains)) {
        policy = RejectPolicy::SpfNotPass;
        r.receiver_policy = true;
    }
    r.verdict = verdict_for(id, policy, r.outcome.result, options_, ctx.sender.empty());
    return r;
}

Decision& SpfPolicy::refuse(Decision& d, const Run& r) const {
    const bool defer = r.verdict == Verdict::Defer;
    const bool enhanced = options_.enhanced_status_codes;
    d.decided_by = r.identity;
    d.text = reason_message(options_, {r.identity, r.id, d.context.client_ip,
                                       spf_reason(r.outcome, r.receiver_policy), defer});
    if (!defer) {
        d.action = ReplyAction::Reject;
        d.code = "550";
        if (enhanced) d.dsn = r.outcome.result == SpfResult::PermError ? "5.7.24" : "5.7.23";
        return d;
    }
    d.action = options_.defer_if_permit ? ReplyAction::DeferIfPermit : ReplyAction::Defer;
    if (!options_.defer_if_permit) d.code = "451";
    if (enhanced) d.dsn = "4.7.24";
    return d;
}

Decision& SpfPolicy::prepend(Decision& d, Identity id, const spf::SpfOutcome& o) const {
    d.decided_by = id;
    d.header = spf_result_header(options_, id, o, d.context);
    d.action = ReplyAction::Prepend;
    return d;
}

Decision& SpfPolicy::finish(Decision& d) const {
    if (d.action == ReplyAction::Prepend && d.header.empty()) d.action = ReplyAction::Dunno;
    d.intended = d.action;
    const bool refusal = d.action == ReplyAction::Reject || d.action == ReplyAction::Defer ||
                         d.action == ReplyAction::DeferIfPermit;
    if (options_.dry_run && refusal) {
        // Accept, but still tell downstream filters what SPF said: the header it would carry.
        d.dry_run = true;
        const auto& o = d.decided_by == Identity::Helo ? d.helo : d.mailfrom;
        d.header = (o && d.decided_by) ? spf_result_header(options_, *d.decided_by, *o, d.context) : "";
        d.action = d.header.empty() ? ReplyAction::Dunno : ReplyAction::Prepend;
    }
    return d;
}

PolicyReply Decision::reply() const {
    switch (action) {
        case ReplyAction::Dunno: return PolicyReply::dunno();
        case ReplyAction::Prepend: return PolicyReply::prepend(header);
        case ReplyAction::Reject: return PolicyReply::reject(text, code, dsn);
        case ReplyAction::Defer: return PolicyReply::defer(text, code, dsn);
        case ReplyAction::DeferIfPermit: return PolicyReply::defer_if_permit(text, dsn);
    }
    return PolicyReply::dunno();
}

std::vector<LogField> Decision::log_fields() const {
    std::vector<LogField> f;
    const spf::SpfOutcome* decider = nullptr;
    const auto& checked = decided_by == Identity::Helo ? helo : mailfrom;
    if (decided_by && checked) decider = &*checked;
    if (decider) {
        f.emplace_back("spf", spf::to_string(decider->result));
        f.emplace_back("identity", spf::to_string(*decided_by));
    } else {
        f.emplace_back("spf", "skipped");
        f.emplace_back("skipped", skipped.empty() ? "no_check" : skipped);
    }
    f.emplace_back("client", bracketed(context.client_ip, '[', ']'));
    f.emplace_back("helo", context.helo);
    f.emplace_back("envelope-from", bracketed(context.sender, '<', '>'));
    if (helo && decided_by == Identity::MailFrom)
        f.emplace_back("helo-spf", spf::to_string(helo->result));
    if (decider && !decider->mechanism.empty()) f.emplace_back("mechanism", decider->mechanism);
    if (decider && !decider->problem.empty()) f.emplace_back("problem", decider->problem);
    if (replayed) f.emplace_back("replay", "yes");
    if (dry_run) f.emplace_back("dry_run", to_string(intended));
    f.emplace_back("action", to_string(action));
    return f;
}

}  // namespace mw::policyd
