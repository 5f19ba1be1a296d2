// ReplaceTags: SpamAssassin's ReplaceTags plugin (SA 4.0.1 Plugin/ReplaceTags.pm). Collects
// replace_tag / replace_pre / replace_inter / replace_post / replace_rules / replace_start /
// replace_end lines and, at finish, rewrites the regex of every listed rule: <A> becomes the
// tag's text, <pre X>/<post X>/<inter X> insert text around or between tags. At most
// kMaxSpamReplacePasses passes per rule (SA: tags inside tags, 6 passes). Thread-compatible.
#pragma once

#include <map>
#include <set>
#include <string>
#include <string_view>

#include "common/base/result.hpp"
#include "milters/spam/rules/rule_set.hpp"

namespace mw::spam {

class ReplaceTags {
public:
    /// True when `key` is one of the plugin's directives; then `value` was taken (or failed).
    bool handles(std::string_view key) const;
    Result<void> add(std::string_view key, std::string_view value);

    /// Rewrites the regex of each rule named by replace_rules.
    void apply(RuleSet& set) const;

    /// One rewritten pattern (exposed for tests).
    std::string replace(std::string pattern) const;

private:
    std::string start_ = "<", end_ = ">";
    std::map<std::string, std::string, std::less<>> tags_, pre_, inter_, post_;
    std::set<std::string, std::less<>> rules_;
};

}  // namespace mw::spam
