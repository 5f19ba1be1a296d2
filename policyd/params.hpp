// The one key table of mailwarden-policyd: the shared keys of CONTRACT.md plus policyd-spf's
// options under lower_snake names and the server's own limits. Gives the parser its defaults and
// types, -n/-d their output and the man page its list.
#pragma once

#include "common/config/param.hpp"

namespace mw::policyd {

const config::ParamTable& policyd_params();

inline constexpr const char* kDefaultListen = "unix:/var/spool/postfix/private/mailwarden-policyd";

}  // namespace mw::policyd
