// Test double for spf::SpfChecker: answers from a script keyed by (identity, domain) and
// records every request, so tests can see which identities were checked and with what.
#pragma once

#include <map>
#include <string>
#include <utility>
#include <vector>

#include "common/spf/spf_checker.hpp"

namespace mw::policyd::test {

class FakeSpfChecker : public spf::SpfChecker {
public:
    /// The outcome for `identity` when the checked domain is `domain` ("" = any domain).
    void script(spf::Identity identity, spf::SpfResult result, std::string domain = {},
                uint32_t ttl = 300) {
        spf::SpfOutcome o;
        o.result = result;
        o.domain = domain;
        o.ttl = ttl;
        o.mechanism = result == spf::SpfResult::Pass ? "ip4:192.0.2.0/24" : "-all";
        if (result == spf::SpfResult::PermError) o.problem = "too many DNS lookups";
        if (result == spf::SpfResult::TempError) o.problem = "DNS timeout";
        outcomes_[{identity, domain}] = o;
    }
    void script_outcome(spf::Identity identity, spf::SpfOutcome o, std::string domain = {}) {
        outcomes_[{identity, std::move(domain)}] = std::move(o);
    }

    spf::SpfOutcome check(const spf::SpfRequest& req, Deadline) override {
        calls.push_back(req);
        events.push_back(std::string("check ") + spf::to_string(req.identity) + " " + domain_of(req));
        const std::string domain = domain_of(req);
        auto it = outcomes_.find({req.identity, domain});
        if (it == outcomes_.end()) it = outcomes_.find({req.identity, ""});
        spf::SpfOutcome o = it == outcomes_.end() ? spf::SpfOutcome{} : it->second;
        o.domain = domain;
        if (o.result == spf::SpfResult::Fail && o.explanation.empty())
            o.explanation = "not authorized by " + domain;
        return o;
    }

    void prefetch(const spf::SpfRequest& req, Deadline) override {
        events.push_back(std::string("prefetch ") + spf::to_string(req.identity) + " " +
                         domain_of(req));
    }

    std::vector<spf::SpfRequest> calls;
    std::vector<std::string> events;  // "check helo mx.example.org", "prefetch mailfrom ...", in order

private:
    static std::string domain_of(const spf::SpfRequest& req) {
        if (req.identity == spf::Identity::Helo) return req.helo;
        const auto at = req.sender.rfind('@');
        return at == std::string::npos ? req.sender : req.sender.substr(at + 1);
    }

    std::map<std::pair<spf::Identity, std::string>, spf::SpfOutcome> outcomes_;
};

}  // namespace mw::policyd::test
