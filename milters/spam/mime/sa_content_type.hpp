// SpamAssassin's Util::parse_content_type: the media type, boundary and charset of one
// Content-Type value, as lenient as SA (a missing or odd type is text/plain, a text/* type other
// than html, calendar and x-vcard is text/plain, stray characters are dropped). RFC 2045 §5.1.
// Pure; thread-safe.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace mw::spam {

struct SaContentType {
    std::string type;                       // lowercase "type/subtype"
    std::optional<std::string> boundary;    // quotes removed
    std::optional<std::string> charset;     // as written (SA lowercases it where it compares)
    bool missing = false;                   // no usable type: SA's ct_was_missing
};

/// `value` is the unfolded field value; nullopt when the message has no Content-Type field.
SaContentType parse_sa_content_type(std::optional<std::string_view> value);

}  // namespace mw::spam
