// The one key table of mailwarden-dkim: the shared keys of CONTRACT.md plus signing (key and
// signing tables or the one-domain shortcut, canonicalization, signed headers, x=), the outbound
// test and the failure action. Gives the parser its defaults and types, -n/-d their output,
// etc/dkim.conf and the man page its list. Thread-safe (built once).
#pragma once

#include "common/config/param.hpp"

namespace mw::dkim {

const config::ParamTable& dkim_params();

inline constexpr const char* kDefaultListen = "unix:/var/spool/postfix/mailwarden/dkim.sock";

}  // namespace mw::dkim
