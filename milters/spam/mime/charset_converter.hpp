// Charset conversion to UTF-8 for mail text (MIME part bodies, RFC 2047 words). Uses GMime's
// charset name table and iconv cache (g_mime_charset_iconv_name, g_mime_iconv_open). Never
// fails: bytes that are invalid in the declared charset become U+FFFD; an unknown charset name
// is read as UTF-8 when the bytes are valid UTF-8, else as windows-1252 (what senders of
// undeclared 8-bit mail mostly mean; SpamAssassin's _normalize guesses similarly).
// Output is at most 4 bytes per input byte plus a constant; callers bound the input.
// Thread-safety: reentrant (GMime's iconv cache is locked); mime_library_init() first.
#pragma once

#include <string>
#include <string_view>

namespace mw::spam {

/// True when `text` is well-formed UTF-8 (RFC 3629: no overlongs, surrogates or > U+10FFFF).
bool is_valid_utf8(std::string_view text);

/// Appends `bytes`, declared in `charset` (any case, "" = undeclared), to `out` as UTF-8.
void append_as_utf8(std::string& out, std::string_view bytes, std::string_view charset);

/// Convenience form of append_as_utf8.
std::string to_utf8(std::string_view bytes, std::string_view charset);

}  // namespace mw::spam
