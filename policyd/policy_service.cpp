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
      lookup_time_(config.duration("lookup_time")) {}

Decision PolicyService::decide(const PolicyRequest& request) {
    if (auto replayed = instances_->replay(request.instance)) return std::move(*replayed);
    Decision d = policy_.decide(request, Deadline::after(lookup_time_));
    instances_->remember(request.instance, d);
    return d;
}

void PolicyService::log_decision(const Decision& d) const {
    if (!log::enabled(log::Level::Info)) return;
    const auto fields = d.log_fields();
    if (fields.size() < 2) return;
    // fields: check=result first, action last (Decision::log_fields' contract).
    log::DecisionLine line(d.queue_id, fields.front().first, fields.front().second);
    for (std::size_t i = 1; i + 1 < fields.size(); ++i) line.add(fields[i].first, fields[i].second);
    log::write(log::Level::Info, line.finish(fields.back().second));  // as is: no format pass
}

std::string PolicyService::handle(const PolicyRequest& request) {
    try {
        const Decision d = decide(request);
        if (!d.replayed) log_decision(d);
        return d.reply().to_wire();
    } catch (const std::exception& e) {
        // Never let a bug lose mail: answer DUNNO (Postfix goes on with its other restrictions).
        log::error("{}: internal error: {}; answering DUNNO",
                   request.queue_id.empty() ? "NOQUEUE" : request.queue_id, e.what());
        return PolicyReply::dunno().to_wire();
    }
}

}  // namespace mw::policyd
