// Reads what our other checks found from the header block: Authentication-Results fields naming
// our authserv-id (spf=, dkim=), else the topmost Received-SPF whose receiver= is ours, and
// mailwarden-dnsbl's score header. Fields naming other authserv-ids are ignored: anyone can
// write them. Pure; thread-safe.
#pragma once

#include <string_view>
#include <vector>

#include "milters/spam/mime/parsed_message.hpp"
#include "milters/spam/scan/scan_input.hpp"

namespace mw::spam {

AuthFacts read_auth_facts(const std::vector<HeaderField>& headers, std::string_view authserv_id,
                          std::string_view dnsbl_header);

}  // namespace mw::spam
