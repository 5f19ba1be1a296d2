// MessageHeader: one header field as Postfix will write it on the wire: the name and the raw
// value, i.e. every byte after the colon, folded lines joined by CRLF. Converts to and from the
// form a milter sees: Postfix hands values with lines joined by "\n", and without their leading
// space unless SMFIP_HDR_LEADSPC was negotiated (then it also expects that space in headers the
// milter adds). Without LEADSPC we assume the one space Postfix itself writes ("Name: value").
// Pure; thread-compatible.
#pragma once

#include <string>
#include <string_view>

namespace mw::dkim {

struct MessageHeader {
    std::string name;
    std::string value;  // wire bytes after ':' (leading space included, CRLF between lines)
};

/// Builds the wire form from what a milter receives (value joined by "\n").
MessageHeader header_from_milter(std::string_view name, std::string_view value, bool leadspc);

/// The value to hand back to the MTA (smfi_addheader/insheader): "\n" line joins, and without
/// its leading space unless `leadspc`.
std::string header_value_for_milter(const MessageHeader& header, bool leadspc);

/// Converts bare "\n" line ends to CRLF (CRLF already present stays as it is).
std::string to_crlf(std::string_view text);

}  // namespace mw::dkim
