// RuleSet: every rule loaded from a set of SpamAssassin .cf files, with the global settings the
// scanner needs, and the diagnostics lint prints. Built by RuleFileParser. Pure value type.
#pragma once

#include <cstddef>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "common/base/error.hpp"
#include "milters/spam/rules/rule.hpp"

namespace mw::spam {

/// Something in the rule files we read but do not (fully) act on, or a malformed line.
struct RuleDiagnostic {
    enum class Kind { Error, Unsupported, Ignored };
    Kind kind = Kind::Error;
    SourcePos where;
    std::string rule;      // rule name when it concerns one, else ""
    std::string message;
};

/// FreeMail.pm's settings, with SA 4.0.1's defaults (numeric options are numbers there too; the
/// two switches count as on when not 0).
struct FreemailSettings {
    std::set<std::string, std::less<>> welcomelist;   // freemail_welcomelist: lower-case
                                                      // addresses or domains, never freemail
    double max_body_emails = 5;       // freemail_max_body_emails
    double max_body_freemails = 3;    // freemail_max_body_freemails
    double skip_when_over_max = 1;    // freemail_skip_when_over_max
    double skip_bulk_envfrom = 1;     // freemail_skip_bulk_envfrom
};

struct RuleSet {
    std::vector<Rule> rules;                    // in order of first definition
    std::map<std::string, std::size_t> index;   // name -> position in rules

    double required_score = 5.0;
    std::string subject_tag;                    // rewrite_header Subject TEXT ("" = none)
    std::vector<std::string> freemail_domains;  // freemail_domains lines (for freemail evals)
    FreemailSettings freemail;
    std::vector<std::string> redirector_patterns;  // redirector_pattern lines (Perl regexes)

    std::vector<RuleDiagnostic> diagnostics;

    const Rule* find(const std::string& name) const {
        auto it = index.find(name);
        return it == index.end() ? nullptr : &rules[it->second];
    }
};

}  // namespace mw::spam
