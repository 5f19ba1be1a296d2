// MetaLinker: the finish-time checks SpamAssassin 4.0.1 does on meta rules (Conf/Parser.pm
// compile_meta_rules, fix_tflags): a reference to a rule that does not exist counts as 0 and is
// reported (Unsupported diagnostic); metas whose meta dependencies never resolve (cycles) are
// excluded (Error diagnostic, name returned for removal); a meta inherits tflags net from any
// rule it depends on. Pure function over a RuleSet; thread-compatible.
#pragma once

#include <set>
#include <string>

#include "milters/spam/rules/rule_set.hpp"

namespace mw::spam {

/// Checks every meta rule of `set`; returns the names of metas to remove.
std::set<std::string> link_metas(RuleSet& set);

}  // namespace mw::spam
