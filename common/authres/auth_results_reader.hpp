// Reads an Authentication-Results field value (RFC 8601 §2.2) back into its authserv-id and its
// "method=result" entries with their properties, so a later check (the spam milter) can use what
// an earlier one (our SPF or DKIM check) found. Comments are dropped; "none" gives no entries.
// Forgiving: an entry it cannot read is skipped, never an error. Bounded: kMaxAuthResults
// entries. Callers must check the authserv-id before trusting anything (§5: forgeries).
// Pure; thread-safe.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "common/authres/auth_results.hpp"

namespace mw::authres {

inline constexpr std::size_t kMaxAuthResults = 64;

struct ReadAuthResults {
    std::string authserv_id;
    std::vector<AuthResult> results;   // method and result lower-cased; property names too
};

ReadAuthResults read_auth_results(std::string_view value);

/// The value of property `ptype.property` of a result, or "".
std::string_view auth_property(const AuthResult& r, std::string_view ptype, std::string_view property);

}  // namespace mw::authres
