// The one key table of mailwarden-spam: the shared keys of CONTRACT.md plus where the rules come
// from, the score thresholds and their actions, what is skipped, the headers written and the
// scan's bounds. Gives the parser its defaults and types, -n/-d their output, etc/spam.conf and
// the man page its list. Thread-safe (built once).
#pragma once

#include "common/config/param.hpp"

namespace mw::spam {

const config::ParamTable& spam_params();

inline constexpr const char* kDefaultListen = "unix:/var/spool/postfix/mailwarden/spam.sock";

}  // namespace mw::spam
