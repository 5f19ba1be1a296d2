// Header field values as SpamAssassin's rules see them (Message/Node.pm _decode_header):
// unfolded ("\n" + blank -> one blank kept, line ends removed), 8-bit text kept when it is
// UTF-8 (RFC 6532) and read as windows-1252 otherwise, RFC 2047 encoded words decoded to UTF-8
// (adjacent words of one charset joined before charset decoding, as SA's Bug 7249 work-around;
// white space between encoded words dropped, RFC 2047 §6.2). Fields SA leaves alone
// (Received, Message-ID, Date, References, List-*, ...) are only unfolded.
// Pure; thread-safe. Output length is bounded by a small multiple of the input length.
#pragma once

#include <string>
#include <string_view>

namespace mw::spam {

/// Unfolds `raw` (a field body, folding kept) and decodes RFC 2047 words for field `name`.
std::string decode_header_value(std::string_view raw, std::string_view name);

/// Only the RFC 2047 part: decodes the encoded words in an already unfolded value.
std::string decode_encoded_words(std::string_view value);

}  // namespace mw::spam
