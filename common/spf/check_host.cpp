#include "common/spf/check_host.hpp"
#include "common/base/ascii.hpp"

#include <algorithm>
#include <cctype>

#include <fmt/format.h>

#include "common/base/limits.hpp"

namespace mw::spf {

namespace {

// True when `name` is `domain` or a subdomain of it (§5.5), ignoring case.
bool within(std::string_view name, std::string_view domain) {
    if (iequals_ascii(name, domain)) return true;
    return name.size() > domain.size() && name[name.size() - domain.size() - 1] == '.' &&
           iequals_ascii(name.substr(name.size() - domain.size()), domain);
}

bool is_ascii_printable(std::string_view s) {
    return std::all_of(s.begin(), s.end(),
                       [](unsigned char c) { return c >= 0x20 && c <= 0x7e; });
}

Verdict from_error(const SpfError& e, std::string mechanism = {}) {
    return Verdict{e.result, std::move(mechanism), {}, e.problem};
}

}  // namespace

bool has_valid_labels(std::string_view name) {
    if (!name.empty() && name.back() == '.') name.remove_suffix(1);
    if (name.empty() || name.size() > limits::kMaxDnsName) return false;
    std::size_t label = 0;
    for (char c : name) {
        if (c != '.') {
            ++label;
            continue;
        }
        if (label == 0 || label > limits::kMaxDnsLabel) return false;
        label = 0;
    }
    return label > 0 && label <= limits::kMaxDnsLabel;
}

bool is_valid_spf_domain(std::string_view domain) {
    if (!domain.empty() && domain.back() == '.') domain.remove_suffix(1);
    const bool literal_or_odd = std::any_of(domain.begin(), domain.end(), [](unsigned char c) {
        return c <= 0x20 || c >= 0x7f || c == '[' || c == ']' || c == '@';
    });
    return !literal_or_odd && has_valid_labels(domain) && domain.find('.') != std::string_view::npos;
}

MacroContext CheckHost::context_for(const std::string& domain) {
    MacroContext ctx = base_;
    ctx.domain = domain;
    ctx.validated_name = [this, domain] { return validated_name(domain); };
    return ctx;
}

Verdict CheckHost::run(const std::string& domain) {
    if (!is_valid_spf_domain(domain)) {
        return Verdict{SpfResult::None, {}, {}, fmt::format("malformed domain '{}'", domain)};
    }
    auto record = fetch_record(domain);
    if (!record) return from_error(record.error());
    return evaluate(domain, *record);
}

// §4.5: exactly one TXT record starting "v=spf1"; none -> none, several -> permerror.
Eval<SpfRecord> CheckHost::fetch_record(const std::string& domain) {
    auto answer = lookups_.query(domain, dns::RrType::TXT, false);
    if (!answer) return tl::unexpected(answer.error());
    const std::string* found = nullptr;
    for (const auto& text : answer->texts) {
        if (!is_spf_record(text)) continue;
        if (found) return spf_error(SpfResult::PermError, fmt::format("{}: more than one SPF record", domain));
        found = &text;
    }
    if (!found) return spf_error(SpfResult::None, fmt::format("{}: no SPF record", domain));
    auto record = parse_spf_record(*found);
    if (!record) {
        return spf_error(SpfResult::PermError, fmt::format("{}: {}", domain, record.error().message));
    }
    return std::move(*record);
}

Verdict CheckHost::evaluate(const std::string& domain, const SpfRecord& record) {
    for (const auto& m : record.mechanisms) {
        if (m.queries_dns()) {
            auto counted = lookups_.count_term();
            if (!counted) return from_error(counted.error(), m.text);
        }
        auto matched = matches(m, domain);
        if (!matched) return from_error(matched.error(), m.text);
        if (!*matched) continue;
        Verdict v{m.qualifier, m.text, {}, {}};
        if (v.result == SpfResult::Fail) v.explanation = explain(domain, record);
        return v;
    }
    if (record.redirect) return redirect(domain, *record.redirect);
    return Verdict{SpfResult::Neutral, "default", {}, {}};
}

// §6.1: the redirect target's result is the result, but "none" there is a permerror.
Verdict CheckHost::redirect(const std::string& domain, const std::string& spec) {
    const std::string term = "redirect=" + spec;
    auto counted = lookups_.count_term();
    if (!counted) return from_error(counted.error(), term);
    auto target = expand_macros(spec, context_for(domain), MacroUse::Domain);
    if (!target) return Verdict{SpfResult::PermError, term, {}, target.error().message};
    auto v = run(*target);
    if (v.result == SpfResult::None) {
        return Verdict{SpfResult::PermError, term, {}, fmt::format("redirect: {}", v.problem)};
    }
    return v;
}

Eval<std::string> CheckHost::target_of(const Mechanism& m, const std::string& domain) {
    if (m.domain_spec.empty()) return domain;
    auto target = expand_macros(m.domain_spec, context_for(domain), MacroUse::Domain);
    if (!target) return spf_error(SpfResult::PermError, target.error().message);
    return std::move(*target);
}

Eval<bool> CheckHost::matches(const Mechanism& m, const std::string& domain) {
    if (m.kind == MechanismKind::All) return true;
    if (m.kind == MechanismKind::Ip4 || m.kind == MechanismKind::Ip6) {
        return match_address(base_.client, m);
    }
    auto target = target_of(m, domain);
    if (!target) return tl::unexpected(target.error());
    // §4.3, §4.8: a target no DNS query can be made for (empty or over-long label) is treated
    // as non-existent: no match. include: sees it through run() as "none", a permerror.
    if (m.kind != MechanismKind::Include && !has_valid_labels(*target)) return false;
    switch (m.kind) {
        case MechanismKind::Include: return match_include(*target);
        case MechanismKind::A: return match_a(*target, m);
        case MechanismKind::Mx: return match_mx(*target, m);
        case MechanismKind::Ptr: return match_ptr(*target);
        case MechanismKind::Exists: return match_exists(*target);
        default: return false;
    }
}

// §5.2: pass matches; fail/softfail/neutral do not; none is a permerror.
Eval<bool> CheckHost::match_include(const std::string& target) {
    auto v = run(target);
    switch (v.result) {
        case SpfResult::Pass: return true;
        case SpfResult::Fail:
        case SpfResult::SoftFail:
        case SpfResult::Neutral: return false;
        case SpfResult::TempError: return spf_error(SpfResult::TempError, v.problem);
        case SpfResult::PermError: return spf_error(SpfResult::PermError, v.problem);
        case SpfResult::None: break;
    }
    return spf_error(SpfResult::PermError, fmt::format("include: {}", v.problem));
}

bool CheckHost::match_address(const net::IpAddress& addr, const Mechanism& m) const {
    const auto& client = base_.client;
    if (addr.family() != client.family()) return false;
    const auto& other = m.kind == MechanismKind::Ip4 || m.kind == MechanismKind::Ip6 ? m.network : addr;
    return client.matches_prefix(other, client.is_v4() ? m.cidr4 : m.cidr6);
}

Eval<bool> CheckHost::match_a(const std::string& target, const Mechanism& m) {
    const auto type = base_.client.is_v4() ? dns::RrType::A : dns::RrType::AAAA;
    auto answer = lookups_.query(target, type, true);
    if (!answer) return tl::unexpected(answer.error());
    return std::any_of(answer->addresses.begin(), answer->addresses.end(),
                       [&](const net::IpAddress& a) { return match_address(a, m); });
}

Eval<bool> CheckHost::match_mx(const std::string& target, const Mechanism& m) {
    auto answer = lookups_.query(target, dns::RrType::MX, true);
    if (!answer) return tl::unexpected(answer.error());
    // §4.6.4: more than 10 MX names is a permerror.
    if (answer->mx.size() > static_cast<std::size_t>(limits::kMaxSpfMxNames)) {
        return spf_error(SpfResult::PermError,
                         fmt::format("{}: more than {} MX records", target, limits::kMaxSpfMxNames));
    }
    std::vector<std::string> hosts;
    for (const auto& mx : answer->mx) {
        if (!mx.exchange.empty() && mx.exchange != ".") hosts.push_back(mx.exchange);
    }
    const auto type = base_.client.is_v4() ? dns::RrType::A : dns::RrType::AAAA;
    auto addrs = lookups_.query_addresses(hosts, type);
    if (!addrs) return tl::unexpected(addrs.error());
    for (const auto& a : *addrs) {
        for (const auto& addr : a.addresses) {
            if (match_address(addr, m)) return true;
        }
    }
    return false;
}

Eval<bool> CheckHost::match_ptr(const std::string& target) {
    const auto names = lookups_.validated_names(base_.client);
    return std::any_of(names.begin(), names.end(),
                       [&](const std::string& n) { return within(n, target); });
}

// §5.7: any A record matches, whatever the client's family.
Eval<bool> CheckHost::match_exists(const std::string& target) {
    auto answer = lookups_.query(target, dns::RrType::A, true);
    if (!answer) return tl::unexpected(answer.error());
    return !answer->addresses.empty();
}

// §7.3 "p": the domain itself if validated, else a validated subdomain, else any, else "unknown".
std::string CheckHost::validated_name(const std::string& domain) {
    const auto names = lookups_.validated_names(base_.client);
    for (const auto& n : names) {
        if (iequals_ascii(n, domain)) return n;
    }
    for (const auto& n : names) {
        if (within(n, domain)) return n;
    }
    return names.empty() ? std::string("unknown") : names.front();
}

// §6.2: any failure while building the explanation falls back to the default.
std::string CheckHost::explain(const std::string& domain, const SpfRecord& record) {
    if (!record.exp) return default_explanation_;
    const auto ctx = context_for(domain);
    auto target = expand_macros(*record.exp, ctx, MacroUse::Domain);
    if (!target || target->empty()) return default_explanation_;
    auto answer = lookups_.query(*target, dns::RrType::TXT, false);
    if (!answer || answer->texts.size() != 1) return default_explanation_;
    auto text = expand_macros(answer->texts.front(), ctx, MacroUse::Explanation);
    if (!text || !is_ascii_printable(*text)) return default_explanation_;
    if (text->size() > limits::kMaxSpfExplanation) text->resize(limits::kMaxSpfExplanation);
    return std::move(*text);
}

}  // namespace mw::spf
