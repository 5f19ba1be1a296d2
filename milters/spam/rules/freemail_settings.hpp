// FreeMail.pm's settings in the rule files, into RuleSet::freemail: freemail_welcomelist (and
// freemail_whitelist, its name before 4.0) and the numeric options freemail_max_body_emails,
// freemail_max_body_freemails, freemail_skip_when_over_max and freemail_skip_bulk_envfrom.
// freemail_domains stays with RuleFileParser; freemail_import_*welcomelist_auth and
// freemail_add_describe_email are not read (the first need welcomelist_auth, which we lack; the
// last only changes rule descriptions). Pure.
#pragma once

#include <string_view>

#include "common/base/result.hpp"
#include "milters/spam/rules/rule_set.hpp"

namespace mw::spam {

/// Where the numeric option `key` goes, or nullptr when `key` is not one of them.
double* freemail_number(FreemailSettings& settings, std::string_view key);

/// Adds the entries of one freemail_welcomelist line, lower-cased. As in SA, an entry that does
/// not look like an address or a domain (no /\w[.@]\w/) is skipped; the line then fails with
/// Invalid, naming it, after the others were added.
Result<void> add_freemail_welcomelist(FreemailSettings& settings, std::string_view value);

}  // namespace mw::spam
