// TxtReplyPacket: encodes a dns::Answer to a TXT question as the DNS wire message (RFC 1035
// §4.1) a C library expects from res_query(): header, the question, one TXT RR per joined text
// (re-split into <=255-byte character-strings, §3.3.14), owner names compressed to the question.
// Used by test-side adapters that feed the common resolver into libraries with res_query-style
// hooks (libopendkim). Answers that are not NoError/NXDOMAIN have no wire form here (the caller
// reports them as a resolver failure). Bounded by the caller's buffer. Pure; thread-safe.
#pragma once

#include <string>
#include <string_view>

#include "common/base/result.hpp"
#include "common/dns/resolver.hpp"

namespace mw::test {

/// The reply to `qname` TXT IN. Fails (Invalid) for a bad name or a failed answer, (TooLong)
/// when the message would exceed `max_bytes`.
Result<std::string> encode_txt_reply(std::string_view qname, const dns::Answer& answer,
                                     std::size_t max_bytes);

}  // namespace mw::test
