// The text a header or mimeheader rule matches, as SpamAssassin's PerMsgStatus::get() builds it:
// every instance of the header, decoded (RFC 2047, unfolded) with a newline after each, or
// unfolded raw (:raw); the addresses (:addr) or display names (:name) of address headers, one
// per line; :first/:last instance; ALL (every field as "Name: value\n"), ToCc, MESSAGEID and
// EnvelopeFrom. nullopt when the header is absent (the rule then sees its if-unset text, or
// "" as Perl's undef). Pure; thread-safe.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "milters/spam/mime/parsed_message.hpp"
#include "milters/spam/rules/rule.hpp"

namespace mw::spam {

struct RelayAnalysis;   // milters/spam/scan/relay_trust.hpp

/// SA's pseudo-headers we do not compute (ALL-TRUSTED and the like): rules on them cannot run.
/// X-Spam-Relays-{Trusted,Untrusted,Internal,External} are served from a RelayAnalysis.
bool header_target_supported(const HeaderTarget& target);

/// `relays` answers the X-Spam-Relays-* names (nullptr: they are absent).
std::optional<std::string> header_text(const std::vector<HeaderField>& fields, const HeaderTarget& target,
                                       std::string_view envelope_from, const RelayAnalysis* relays = nullptr);

/// SA's get("NAME:addr") in list context: every address of every field called `name` (ToCc and
/// EnvelopeFrom too), in order, as written.
std::vector<std::string> header_addresses(const std::vector<HeaderField>& fields, std::string_view name,
                                          std::string_view envelope_from);

/// The decoded values of every field called `name` (case-insensitive), in order.
std::vector<std::string_view> header_values(const std::vector<HeaderField>& fields, std::string_view name);
/// The last decoded value of `name`, or "" (SA's scalar get_header).
std::string_view last_header(const std::vector<HeaderField>& fields, std::string_view name);

}  // namespace mw::spam
