// Parses the dates of Date: fields and Received: lines as SpamAssassin's parse_rfc822_date does:
// "Tue, 24 Nov 2026 22:08:14 +0000", "Nov 24 22:08:14 2026", two- and three-digit years, named
// zones (EST, PDT, ...; unknown ones count as -0000), out-of-range fields clamped. Returns seconds
// since the epoch, or nullopt when no day, month and year are found. Pure; thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace mw::spam {

std::optional<int64_t> parse_rfc822_date(std::string_view text);

}  // namespace mw::spam
