// Bounds what GMime's parser is given. GMime builds the whole MIME tree (one object per part,
// recursing once per nesting level) before we can apply MimeLimits, so a MIME bomb is cut
// first: the input ends before the line that would open more than kMaxSpamMimeContainers (or
// max_parts) multipart / message containers, or start more than 2 * max_parts + 16 boundary-
// like ("--") lines. One linear pass over the bytes. Pure; thread-safe.
#pragma once

#include <string_view>

#include "milters/spam/mime/message_parser.hpp"

namespace mw::spam {

struct MimeInput {
    std::string_view text;  // a prefix of the input
    bool cut = false;
};

MimeInput bound_mime_input(std::string_view raw, const MimeLimits& limits);

}  // namespace mw::spam
