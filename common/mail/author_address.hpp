// The author address of a From: field value (RFC 5322 §3.6.2), for choosing DKIM signing keys and DNS-list domains:
// "Name <user@example.com>" and "user@example.com (Name)" give "user@example.com". Only a
// single mailbox is accepted (a list or group gives nullopt: which key would sign is ambiguous).
// Not a full RFC 5322 parser: quoted display names may contain '<', ',' and '@'. Pure; thread-safe.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace mw::mail {

std::optional<std::string> author_address(std::string_view from_value);

}  // namespace mw::mail
