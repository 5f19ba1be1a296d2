// The URI forms SpamAssassin's uri rules match (Util.pm uri_list_canonicalize): the URI as
// found plus "cooked" variants: backslashes made slashes, "http:x" -> "http://x", %XX decoded,
// a scheme added to bare hosts, "/" before a query or fragment on a bare host, &#NN; entities
// of printable ASCII decoded, user:pass@ and default ports dropped, host lowercased; and one
// level of "http..." redirect target inside the URI, itself canonicalized (up to
// kMaxRedirectDepth levels). Addresses ("mailto:", "a@b") yield the address without ?query.
// Relative paths ("/x", "#x", "?x") yield nothing. Pure; thread-safe.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace mw::spam {

/// All forms of `uri` for uri rules, the original first; empty when SA would skip it.
std::vector<std::string> canonicalize_uri(std::string_view uri);

/// Lowercase host of an http(s)/ftp URI, or domain of a mailto: address; "" if none.
std::string uri_host(std::string_view uri);

}  // namespace mw::spam
