#include "policyd/spf_header.hpp"

#include <fmt/format.h>

#include "common/authres/auth_results.hpp"
#include "common/authres/received_spf.hpp"

namespace mw::policyd {

namespace {

using spf::SpfResult;

std::string comment_body(SpfResult r, std::string_view sender, std::string_view ip) {
    switch (r) {
        case SpfResult::Pass:
            return fmt::format("domain of {} designates {} as permitted sender", sender, ip);
        case SpfResult::Fail:
            return fmt::format("domain of {} does not designate {} as permitted sender", sender,
                               ip);
        case SpfResult::SoftFail:
            return fmt::format(
                "domain of transitioning {} does not designate {} as permitted sender", sender,
                ip);
        case SpfResult::Neutral:
            return fmt::format("{} is neither permitted nor denied by domain of {}", ip, sender);
        case SpfResult::None:
            return fmt::format("domain of {} does not designate permitted sender hosts", sender);
        case SpfResult::TempError:
            return fmt::format("temporary error in processing during lookup of {}", sender);
        case SpfResult::PermError:
            return fmt::format("permanent error in processing domain of {}", sender);
    }
    return {};
}

bool is_error(SpfResult r) { return r == SpfResult::TempError || r == SpfResult::PermError; }

/// The receiver name written into headers, or "" when hidden.
std::string shown_receiver(const PolicyOptions& o) {
    return o.hide_receiver ? std::string() : o.receiver;
}

std::string envelope_from(const HeaderContext& ctx) {
    return ctx.sender.empty() ? "<>" : ctx.sender;
}

std::string checked_sender(spf::Identity id, const spf::SpfOutcome& o, const HeaderContext& ctx) {
    if (!o.sender.empty()) return o.sender;
    return id == spf::Identity::Helo ? "postmaster@" + ctx.helo : ctx.sender;
}

std::string received_spf(const PolicyOptions& opt, spf::Identity id, const spf::SpfOutcome& o,
                         const HeaderContext& ctx) {
    const std::string receiver = shown_receiver(opt);
    authres::ReceivedSpfHeader h(spf::to_string(o.result),
                                 spf_comment(o, checked_sender(id, o, ctx), ctx.client_ip,
                                             receiver));
    h.add("identity", spf::to_string(id));
    h.add("client-ip", ctx.client_ip);
    h.add("helo", ctx.helo);
    h.add("envelope-from", envelope_from(ctx));
    if (!receiver.empty()) h.add("receiver", receiver);
    if (!o.mechanism.empty() && !is_error(o.result)) h.add("mechanism", o.mechanism);
    if (!o.problem.empty() && (is_error(o.result) || o.result == SpfResult::None))
        h.add("problem", o.problem);
    return h.to_string();
}

std::string mailfrom_domain(const HeaderContext& ctx, const spf::SpfOutcome& o) {
    if (!o.domain.empty()) return o.domain;
    const auto at = ctx.sender.rfind('@');
    return at == std::string::npos ? ctx.sender : ctx.sender.substr(at + 1);
}

std::string auth_results(const PolicyOptions& opt, spf::Identity id, const spf::SpfOutcome& o,
                         const HeaderContext& ctx) {
    authres::AuthResult r;
    r.method = "spf";
    r.result = spf::to_string(o.result);
    r.comment = spf_comment(o, checked_sender(id, o, ctx), ctx.client_ip, {});
    if (is_error(o.result)) r.reason = o.problem;
    if (id == spf::Identity::Helo)
        r.properties.push_back({"smtp", "helo", ctx.helo});
    else
        r.properties.push_back({"smtp", "mailfrom", mailfrom_domain(ctx, o)});
    return authres::AuthResultsHeader(opt.authserv_id).add(std::move(r)).to_string();
}

}  // namespace

std::string spf_comment(const spf::SpfOutcome& outcome, std::string_view sender,
                        std::string_view ip, std::string_view receiver) {
    std::string body = comment_body(outcome.result, sender, ip);
    return receiver.empty() ? body : fmt::format("{}: {}", receiver, body);
}

std::string spf_result_header(const PolicyOptions& options, spf::Identity identity,
                              const spf::SpfOutcome& outcome, const HeaderContext& ctx) {
    switch (options.header_type) {
        case HeaderType::Spf: return received_spf(options, identity, outcome, ctx);
        case HeaderType::Ar: return auth_results(options, identity, outcome, ctx);
        case HeaderType::None: return {};
    }
    return {};
}

std::string skip_trace_header(const PolicyOptions& options, std::string_view why,
                              const HeaderContext& ctx) {
    const std::string receiver = shown_receiver(options);
    std::string trace = fmt::format("client-ip={}; helo={}; envelope-from={}", ctx.client_ip,
                                    ctx.helo, envelope_from(ctx));
    if (!receiver.empty()) trace += "; receiver=" + receiver;
    switch (options.header_type) {
        case HeaderType::Spf: return fmt::format("X-Comment: {} - {}", why, trace);
        case HeaderType::Ar:
            return authres::AuthResultsHeader(options.authserv_id)
                .set_none_comment(fmt::format("{} - {}", why, trace))
                .to_string();
        case HeaderType::None: return {};
    }
    return {};
}

}  // namespace mw::policyd
