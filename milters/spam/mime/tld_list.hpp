// Top-level domains that make a bare "name.tld" in text count as a domain (SpamAssassin's
// util_rb_tld set, from IANA's root zone list; ASCII labels only, IDN labels are not matched in
// bare text). Pure data plus a binary search; thread-safe.
#pragma once

#include <string_view>

namespace mw::spam {

/// True when `label` (any case) is a known top-level domain.
bool is_known_tld(std::string_view label);

}  // namespace mw::spam
