// EmlMessage: splits an RFC 5322 message file into header fields (wire form, as MessageHeader)
// and body, for the interop tests. Test-only; no limits beyond memory.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "milters/dkim/message_header.hpp"

namespace mw::test {

struct EmlMessage {
    std::vector<dkim::MessageHeader> headers;
    std::string body;

    /// `text` with CRLF or LF line ends (LF becomes CRLF).
    static EmlMessage parse(std::string_view text);
};

}  // namespace mw::test
