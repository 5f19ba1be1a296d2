// MimeStructure: SpamAssassin's own view of a message's MIME layout, for the MIMEEval tests and
// the parser flags (Mail::SpamAssassin::Message.pm _parse_multipart / _parse_normal and
// Plugin/MIMEEval.pm _check_attachments, _check_base64_length, SA 4.0.1). GMime repairs broken
// structure silently; SA's line walk is what its rules measure (unbalanced boundaries, an
// epilogue, a boundary without part headers, each part's still-encoded lines), so it is redone
// here over the raw bytes, counting as it goes and copying nothing but message/rfc822 bodies.
// Bounds: MimeLimits::max_depth nesting (SA: 20 subparse levels), MimeLimits::max_parts nodes,
// kMaxSpamMimeParts parts per multipart (SA's mimepart limit). RFC 2045-2046.
// Pure; thread-safe.
#pragma once

#include <string_view>
#include <vector>

#include "milters/spam/mime/message_parser.hpp"
#include "milters/spam/mime/parsed_message.hpp"

namespace mw::spam {

/// Computes `out` for the message body `body` (everything after the header block) whose header
/// fields are `headers`. `crlf`: the message uses CRLF line ends (SA then drops the CRs).
void scan_mime_structure(std::string_view body, const std::vector<HeaderField>& headers, bool crlf,
                         const MimeLimits& limits, MimeFacts& out);

}  // namespace mw::spam
