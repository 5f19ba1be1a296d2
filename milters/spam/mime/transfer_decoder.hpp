// Content-Transfer-Encoding decoders (RFC 2045 §6.7 quoted-printable, §6.8 base64) as lenient
// as SpamAssassin's Util::qp_decode / base64_decode: characters outside the base64 alphabet are
// skipped, stray padding is ignored, a malformed "=" escape in QP is kept as written. Output is
// capped at `max_out` bytes (the caller's MimeLimits budget); the return value says whether the
// cap cut the output. Pure; thread-safe.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace mw::spam {

/// Appends the base64-decoded `in` to `out`, at most `max_out` bytes. True when cut short.
bool decode_base64(std::string_view in, std::string& out, std::size_t max_out);

/// Appends the quoted-printable-decoded `in` to `out` (trailing blanks before a line end are
/// dropped, "=\n" soft breaks joined), at most `max_out` bytes. True when cut short.
bool decode_quoted_printable(std::string_view in, std::string& out, std::size_t max_out);

/// RFC 2047 §4.2 "Q" encoding: "_" is a space, otherwise as quoted-printable.
std::string decode_q_encoding(std::string_view in);

}  // namespace mw::spam
