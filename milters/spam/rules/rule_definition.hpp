// RuleDefinition: turns the part of a test line after `TYPE NAME` into a Rule, following SA 4.0.1
// Conf.pm (header/body/rawbody/full/uri), Conf/Parser.pm add_test (header ops, :modifiers,
// exists:, [if-unset: X]) and Plugin/MIMEHeader.pm (mimeheader NAME Hdr[:raw] =~ /re/).
// eval: arguments are split as SA's pack_eval_args does (quoted strings or bare words).
// Does not compile regexes and knows nothing about files. Pure; thread-safe.
#pragma once

#include <string_view>

#include "common/base/result.hpp"
#include "milters/spam/rules/rule.hpp"

namespace mw::spam {

/// SA's IS_RULENAME: [_a-zA-Z][_a-zA-Z0-9]{0,127}.
bool is_rule_name(std::string_view name);

/// "fn(args)" -> EvalCall. Invalid when it is not \w+\(.*\) or an argument is malformed.
Result<EvalCall> parse_eval_call(std::string_view text);

/// The value of a header line after the name: "Hdr[:mod] =~ /re/", "exists:Hdr", "eval:fn()".
Result<Rule> parse_header_definition(std::string_view value);
/// body/rawbody/full/uri: "/re/flags" or (not uri) "eval:fn()".
Result<Rule> parse_pattern_definition(RuleType type, std::string_view value);
/// mimeheader: "Hdr[:raw] =~ /re/ [if-unset: X]".
Result<Rule> parse_mimeheader_definition(std::string_view value);

}  // namespace mw::spam
