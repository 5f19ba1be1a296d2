// The score-only mode's header value: "score=4; zen.spamhaus.org=127.0.0.4*3;
// list.dnswl.org=127.0.10.2*-2": the total, then each listed entry as display zone (never a
// DQS key), its first matching code and its weight, in configuration order. Failed lists are
// named as "zone=error" so that a reader sees the score may be low. Bounded at
// limits::kMaxDnsblScoreHeader (entries that do not fit are left out). Pure.
#pragma once

#include <string>

#include "milters/dnsbl/dnsbl_result.hpp"

namespace mw::dnsbl {

std::string render_score_header(const DnsblResult& result);

}  // namespace mw::dnsbl
