// MessageParser: raw RFC 5322 message bytes -> ParsedMessage, with GMime 3 for the MIME tree,
// transfer and charset decoding and RFC 2047 words, libgumbo for HTML to text, and our own URI
// finder. Never fails: broken mail (mbox "From " line, missing boundaries, bad base64, unknown
// charsets) yields a best-effort ParsedMessage with flags set. Bounded by MimeLimits in depth,
// part count and decoded bytes, so a MIME bomb costs bounded time and memory.
// Thread-safety: parse_message is reentrant (call mime_library_init() once at start-up).
#pragma once

#include <cstddef>
#include <string_view>

#include "milters/spam/mime/parsed_message.hpp"

namespace mw::spam {

struct MimeLimits {
    int max_depth = 20;                          // nested multiparts / message/rfc822
    std::size_t max_parts = 1000;                // parts walked; the rest ignored
    std::size_t max_decoded_bytes = 4 << 20;     // all parts' decoded bytes together
    std::size_t max_text_bytes = 1 << 20;        // body_lines + rawbody_lines text kept
    std::size_t max_uris = 1000;
};

/// GMime's global set-up; idempotent, thread-safe.
void mime_library_init();

ParsedMessage parse_message(std::string_view raw, const MimeLimits& limits = {});

}  // namespace mw::spam
