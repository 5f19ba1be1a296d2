#include "policyd/policy_service.hpp"

#include <exception>

#include "common/log/decision_line.hpp"
#include "common/log/logger.hpp"
#include "policyd/policy_settings.hpp"

namespace mw::policyd {

PolicyService::PolicyService(const config::Config& config, std::shared_ptr<spf::SpfChecker> checker,
                             std::shared_ptr<InstanceCache> instances)
    : checker_(std::move(checker)),
      instances_(std::move(instances)),
      policy_(policy_options_from(config), *checker_),
      lookup_time_(config.duration("lookup_time")),
      // As large and as long-lived as the SPF result cache: cache_size 0 turns both off.
      memo_(static_cast<std::size_t>(config.integer("cache_size")),
            std::chrono::duration_cast<std::chrono::seconds>(config.duration("cache_max_ttl"))) {}

RenderedPtr PolicyService::decide(const PolicyRequest& request) {
    const std::string key = DecisionMemo::key_of(request);
    if (RenderedPtr hit = memo_.find(key)) return hit;
    const Decision d = policy_.decide(request, Deadline::after(lookup_time_));
    RenderedPtr rendered = render(d);
    memo_.store(key, rendered, d.ttl);
    return rendered;
}

std::string PolicyService::decision_line(std::string_view queue_id, const RenderedDecision& d) {
    if (d.log_fields.empty() || !log::enabled(log::Level::Info)) return {};
    return log::DecisionLine::join(queue_id, d.log_fields);  // no format pass
}

PolicyAnswer PolicyService::handle(const PolicyRequest& request) {
    try {
        if (RenderedPtr replayed = instances_->replay(request.instance)) return {replayed->replay_wire, {}};
        RenderedPtr d = decide(request);
        instances_->remember(request.instance, d);
        return {d->wire, decision_line(request.queue_id, *d)};
    } catch (const std::exception& e) {
        // Never let a bug lose mail: answer DUNNO (Postfix goes on with its other restrictions).
        log::error("{}: internal error: {}; answering DUNNO",
                   request.queue_id.empty() ? "NOQUEUE" : request.queue_id, e.what());
        return {PolicyReply::dunno().to_wire(), {}};
    }
}

}  // namespace mw::policyd
