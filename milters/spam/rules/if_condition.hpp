// IfCondition: evaluates the condition of a SpamAssassin `if` / `ifplugin` line (SA 4.0.1
// Conf/Parser.pm handle_conditional): plugin(Name), can(Module::method), has(Module::method),
// version, perl_version, local_tests_only, numbers, ! && || parentheses and < > <= >= == !=,
// with Perl's precedence. Names the environment does not know evaluate false.
// Bounded: nesting depth kMaxSpamMetaDepth. Pure; thread-safe.
#pragma once

#include <set>
#include <string>
#include <string_view>

#include "common/base/result.hpp"

namespace mw::spam {

struct IfEnvironment {
    const std::set<std::string>* plugins = nullptr;   // loaded plugin module names
    const std::set<std::string>* features = nullptr;  // can()/has() names that are true
    double version = 4.000001;                        // SA's $VERSION
};

/// True when the block is to be read. Invalid on a token or shape SA would refuse.
Result<bool> evaluate_if_condition(std::string_view text, const IfEnvironment& env);

}  // namespace mw::spam
