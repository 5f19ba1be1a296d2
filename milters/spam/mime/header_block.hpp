// Splits a message into its header block and body the way SpamAssassin's Message->new does:
// continuation lines (leading blank) join the field above; a line of only a line end ends the
// block; a line starting with "--" (a MIME boundary) or a fourth line that is not a valid field
// (RFC 5322 §3.6.8 ftext name, then ":") ends it too and sets missing_head_body_separator; up
// to three invalid lines are skipped (kept only if they hold a ":"). Names are cut at
// kMaxSpamHeaderName, values at kMaxSpamHeaderValue, fields kept at kMaxSpamHeaderFields.
// Pure; thread-safe.
#pragma once

#include <cstddef>
#include <string_view>
#include <vector>

#include "milters/spam/mime/parsed_message.hpp"

namespace mw::spam {

struct HeaderBlock {
    std::vector<HeaderField> fields;
    std::size_t body_offset = 0;            // where the body starts in the input
    bool missing_head_body_separator = false;
    bool truncated = false;                 // a name, value or field-count bound was hit
};

/// Parses the header block at the start of `text` (no mbox "From " line).
HeaderBlock parse_header_block(std::string_view text);

/// Builds one HeaderField from a name and a raw value (CR dropped, leading blanks dropped,
/// final line end dropped), with the decoded value filled in.
HeaderField make_header_field(std::string_view name, std::string_view raw_value);

}  // namespace mw::spam
