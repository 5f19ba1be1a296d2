// FreemailDomains: the freemail_domains of the rule files, ready for lookups: exact names in a
// hash set, wildcard names ('*' any run without a dot, '?' one character; SA FreeMail.pm) in a
// short list. Built once per CompiledRules. Immutable; thread-safe.
#pragma once

#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

namespace mw::spam {

class FreemailDomains {
public:
    FreemailDomains() = default;
    explicit FreemailDomains(const std::vector<std::string>& domains);

    /// `domain` lower-case.
    bool contains(std::string_view domain) const;
    bool empty() const { return exact_.empty() && wildcards_.empty(); }

private:
    std::unordered_set<std::string> exact_;
    std::vector<std::string> wildcards_;
};

/// The wildcard match on its own (exposed for tests).
bool freemail_glob_match(std::string_view pattern, std::string_view text);

}  // namespace mw::spam
