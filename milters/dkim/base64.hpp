// Base64 (RFC 4648 §4) for DKIM's b=, bh= and p= values. Decoding skips folding white space
// (RFC 6376 §3.5: FWS may appear inside base64 values) and rejects anything else that is not
// base64, including bad padding. Pure; thread-safe.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace mw::dkim {

std::string base64_encode(std::string_view bytes);
std::optional<std::string> base64_decode(std::string_view text);

}  // namespace mw::dkim
