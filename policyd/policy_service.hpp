// PolicyService: answers one policy request end to end: replay by instance, the SPF decision
// (from the DecisionMemo when the same client, HELO and sender were decided within the TTL),
// the one decision log line (logged by the server after the reply), and the reply bytes. One PolicyService is one configuration
// generation (built at start-up and on each SIGUSR1), with its own memo (the rendering depends
// on the configuration); the instance cache outlives generations so that a reload in the
// middle of a message does not decide it twice.
// Thread-safe: handle() is called by every connection thread at once.
#pragma once

#include <memory>
#include <string>

#include "common/config/config.hpp"
#include "common/dns/resolver.hpp"
#include "common/spf/spf_checker.hpp"
#include "policyd/decision_memo.hpp"
#include "policyd/instance_cache.hpp"
#include "policyd/policy_answer.hpp"
#include "policyd/spf_policy.hpp"

namespace mw::policyd {

class PolicyService {
public:
    /// `checker` is the SPF checker this generation uses (usually a caching SpfEvaluator).
    PolicyService(const config::Config& config, std::shared_ptr<spf::SpfChecker> checker,
                  std::shared_ptr<InstanceCache> instances);

    /// The reply for one request and its decision line (for the caller to log after sending the
    /// reply). Never throws.
    PolicyAnswer handle(const PolicyRequest& request);

private:
    RenderedPtr decide(const PolicyRequest& request);
    static std::string decision_line(std::string_view queue_id, const RenderedDecision& d);

    std::shared_ptr<spf::SpfChecker> checker_;
    std::shared_ptr<InstanceCache> instances_;
    SpfPolicy policy_;
    std::chrono::milliseconds lookup_time_;
    DecisionMemo memo_;
};

}  // namespace mw::policyd
