#include "common/spf/spf_evaluator.hpp"

#include <chrono>

#include "common/spf/check_host.hpp"
#include "common/spf/spf_lookups.hpp"

namespace mw::spf {

namespace {

struct Identities {
    std::string local_part;
    std::string domain;
};

// §2.3/§2.4: whose authorization is checked, and as which sender.
Identities identities_of(const SpfRequest& req) {
    if (req.identity == Identity::Helo || req.sender.empty()) return {"postmaster", req.helo};
    const auto at = req.sender.rfind('@');
    if (at == std::string::npos) return {"postmaster", req.sender};
    std::string local = req.sender.substr(0, at);
    if (local.empty()) local = "postmaster";   // §4.3
    return {std::move(local), req.sender.substr(at + 1)};
}

int64_t system_now() {
    return std::chrono::duration_cast<std::chrono::seconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

}  // namespace

SpfOutcome SpfEvaluator::check(const SpfRequest& req, Deadline deadline) {
    const auto ids = identities_of(req);
    MacroContext ctx;
    ctx.local_part = ids.local_part;
    ctx.sender_domain = ids.domain;
    ctx.client = req.client.unmapped();
    ctx.helo = req.helo;
    ctx.receiver = req.receiver.empty() ? options_.receiver : req.receiver;
    ctx.now = options_.now ? options_.now() : system_now();

    SpfLookups lookups(resolver_, deadline);
    CheckHost check_host(lookups, std::move(ctx), options_.default_explanation);
    auto verdict = check_host.run(ids.domain);

    SpfOutcome out;
    out.result = verdict.result;
    out.domain = ids.domain;
    out.sender = ids.local_part + "@" + ids.domain;
    out.mechanism = std::move(verdict.mechanism);
    out.explanation = std::move(verdict.explanation);
    out.problem = std::move(verdict.problem);
    out.ttl = lookups.ttl();
    out.dns_lookups = lookups.terms();
    return out;
}

void SpfEvaluator::prefetch(const SpfRequest& req, Deadline deadline) {
    const auto ids = identities_of(req);
    if (ids.domain.empty()) return;
    resolver_.submit(dns::Question{ids.domain, dns::RrType::TXT}, deadline, [](dns::Answer) {});
}

}  // namespace mw::spf
