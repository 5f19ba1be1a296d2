// DKIM canonicalization (RFC 6376 §3.4): the c= algorithms, and header canonicalization
// (§3.4.1 simple, §3.4.2 relaxed) of one MessageHeader. Body canonicalization is streamed by
// BodyCanonicalizer (body_canonicalizer.hpp). Pure; thread-safe.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "milters/dkim/message_header.hpp"

namespace mw::dkim {

enum class Canon { Simple, Relaxed };

struct Canonicalization {
    Canon header = Canon::Simple;
    Canon body = Canon::Simple;
    bool operator==(const Canonicalization&) const = default;
};

/// Parses a c= value or a config value: "relaxed/simple", "relaxed" (= relaxed/simple, §3.5),
/// case-insensitive. nullopt when unknown.
std::optional<Canonicalization> parse_canonicalization(std::string_view text);
std::string_view canon_name(Canon c);
/// "relaxed/relaxed" etc.
std::string canonicalization_text(Canonicalization c);

/// The canonical form of one header field, CRLF-terminated ("name:value\r\n").
std::string canonicalize_header(const MessageHeader& header, Canon canon);
/// Same, without the final CRLF (for the DKIM-Signature field itself, §3.7).
void append_canonical_header(std::string& out, std::string_view name, std::string_view value,
                             Canon canon);

}  // namespace mw::dkim
