// The one key table of mailwarden-dnsbl: the shared keys of CONTRACT.md plus the DNS lists
// (postscreen_dnsbl_sites syntax per target), thresholds, cache TTL bounds, replies, the stage
// that rejects, score-only mode and the access tables. Gives the parser its defaults and types,
// -n/-d their output, etc/dnsbl.conf and the man page its list. Thread-safe (built once).
#pragma once

#include "common/config/param.hpp"

namespace mw::dnsbl {

const config::ParamTable& dnsbl_params();

inline constexpr const char* kDefaultListen = "unix:/var/spool/postfix/mailwarden/dnsbl.sock";

}  // namespace mw::dnsbl
