// RegexLiteral: splits a Perl regex as a SpamAssassin rule writes it (`/re/flags`, `m{re}flags`,
// `qr<re>`, `m!re!i`) into a RegexSpec, with the checks of SA 4.0.1 Util::compile_regexp: known
// delimiters, no backslash delimiter, flags [a-df-z] at the end, no unescaped non-bracket
// delimiter inside, no (?{ code }). Does NOT compile the pattern (milters/spam/regex does).
// Flags other than i m s x are refused as Unsupported. Pure; thread-safe.
#pragma once

#include <string_view>

#include "common/base/result.hpp"
#include "milters/spam/regex/regex_spec.hpp"

namespace mw::spam {

/// `text` is the whole literal, e.g. `/foo\/bar/i`. Errors: Invalid (syntax), Unsupported (flag).
Result<RegexSpec> parse_regex_literal(std::string_view text);

}  // namespace mw::spam
