// The MTA-specific Received shapes of SpamAssassin's parse_received_line (Received.pm), in SA's
// order: the part after "from " / "FROM " / "(from " is matched against each known shape until
// one fills in the relay ("goto enough"), says the line is to be skipped ("return 0"), or none
// fits. Internal to received_relays.cpp. Pure; thread-safe.
#pragma once

#include <string>

#include "milters/spam/scan/received_relays.hpp"

namespace mw::spam {

/// Parse state shared by received_relays.cpp and the shape tables.
struct ReceivedState {
    std::string line;              // SA's $_ at that point
    Relay relay;
    bool looked_up_dns = false;    // SA's $mta_looked_up_dns
    bool has_envfrom = false;      // SA's defined $envfrom
};

enum class ShapeResult { NoMatch, Enough, Skip, Fetcher, QmailScanner };

/// After "from " was removed (SA's `if (s/^from //) {...}` block).
ShapeResult parse_from_shapes(ReceivedState& s);
/// After "FROM " (simta, Rockliffe).
ShapeResult parse_upper_from_shapes(ReceivedState& s);
/// After "(from " (Norton AntiVirus Gateway, sendmail -t).
ShapeResult parse_paren_from_shapes(ReceivedState& s);

}  // namespace mw::spam
