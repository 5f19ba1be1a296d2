// RFC 7208 §7 macros: syntax checks of macro-strings and domain-specs, and their expansion.
// Letters s l o d i p h v everywhere, c r t only in exp= text (§7.2); transformers (digits, "r")
// and delimiters `.-+,/_=`; "%%", "%_", "%-"; URL escaping for upper-case letters (§7.3).
// Expanded domain-specs longer than limits::kMaxDnsName lose left-hand labels (§7.3, §4.8).
// Any expansion longer than limits::kMaxSpfExpansion is an error, so hostile records such as
// CVE-2023-42118's repeated %{d} cannot grow without bound. The "p" macro needs DNS: the caller
// supplies it through MacroContext::validated_name (called at most once per expansion).
// Pure otherwise; thread-compatible.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

#include "common/base/result.hpp"
#include "common/net/ip_address.hpp"

namespace mw::spf {

/// Where a macro-string stands: a domain-spec (mechanisms, redirect=, exp=) or exp= TXT text.
enum class MacroUse { Domain, Explanation };

struct MacroContext {
    std::string local_part;      // %{l}
    std::string sender_domain;   // %{o}
    std::string domain;          // %{d}: the current <domain>
    net::IpAddress client;       // %{i} %{c} %{v}; already unmapped
    std::string helo;            // %{h}
    std::string receiver;        // %{r}
    int64_t now = 0;             // %{t}
    std::function<std::string()> validated_name;   // %{p}; "unknown" when unset
};

/// Checks macro-string syntax (§7.1). In MacroUse::Domain, c, r and t are errors.
Result<bool> check_macro_string(std::string_view s, MacroUse use);

/// Checks a domain-spec: a macro-string ending in a macro or in "." toplabel ["."] (§7.1, §12).
Result<bool> check_domain_spec(std::string_view s);

/// Expands `s`. For MacroUse::Domain the result is also cut to kMaxDnsName (§7.3) and a
/// trailing dot removed.
Result<std::string> expand_macros(std::string_view s, const MacroContext& ctx, MacroUse use);

}  // namespace mw::spf
