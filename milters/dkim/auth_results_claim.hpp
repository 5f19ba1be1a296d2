// Reads the authserv-id of an incoming Authentication-Results field (RFC 8601 §2.2: the first
// token after optional CFWS), so the dkim milter can remove fields that claim to be ours
// (forgeries, §5) and keep the others. Comparison is case-insensitive (authserv-ids are domain
// names in practice). Pure; thread-safe.
#pragma once

#include <string_view>

namespace mw::dkim {

/// The authserv-id of a field value, empty when there is none.
std::string_view authserv_id_of(std::string_view value);
/// True when the field value names `authserv_id`.
bool claims_authserv_id(std::string_view value, std::string_view authserv_id);

}  // namespace mw::dkim
