// PolicyService: answers one policy request end to end: replay by instance, the SPF decision,
// the one decision log line, and the reply bytes. One PolicyService is one configuration
// generation (built at start-up and on each SIGUSR1); the instance cache outlives generations so
// that a reload in the middle of a message does not decide it twice.
// Thread-safe: handle() is called by every connection thread at once.
#pragma once

#include <memory>
#include <string>

#include "common/config/config.hpp"
#include "common/dns/resolver.hpp"
#include "common/spf/spf_checker.hpp"
#include "policyd/instance_cache.hpp"
#include "policyd/spf_policy.hpp"

namespace mw::policyd {

class PolicyService {
public:
    /// `checker` is the SPF checker this generation uses (usually a caching SpfEvaluator).
    PolicyService(const config::Config& config, std::shared_ptr<spf::SpfChecker> checker,
                  std::shared_ptr<InstanceCache> instances);

    /// The wire reply ("action=...\n\n") for one request; logs the decision. Never throws.
    std::string handle(const PolicyRequest& request);

private:
    Decision decide(const PolicyRequest& request);
    void log_decision(const Decision& d) const;

    std::shared_ptr<spf::SpfChecker> checker_;
    std::shared_ptr<InstanceCache> instances_;
    SpfPolicy policy_;
    std::chrono::milliseconds lookup_time_;
};

}  // namespace mw::policyd
