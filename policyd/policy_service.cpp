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

void PolicyService::log_decision(std::string_view queue_id, const RenderedDecision& d) {
    if (d.log_fields.empty() || !log::enabled(log::Level::Info)) return;
    log::write(log::Level::Info, log::DecisionLine::join(queue_id, d.log_fields));  // no format pass
}

std::string PolicyService::handle(const PolicyRequest& request) {
    try {
        if (RenderedPtr replayed = instances_->replay(request.instance)) return replayed->replay_wire;
        RenderedPtr d = decide(request);
        instances_->remember(request.instance, d);
        log_decision(request.queue_id, *d);
        return d->wire;
    } catch (const std::exception& e) {
        // Never let a bug lose mail: answer DUNNO (Postfix goes on with its other restrictions).
        log::error("{}: internal error: {}; answering DUNNO",
                   request.queue_id.empty() ? "NOQUEUE" : request.queue_id, e.what());
        return PolicyReply::dunno().to_wire();
    }
}

}  // namespace mw::policyd
