// SpamAssassin's trust path over the Received chain (Received.pm parse_received_headers, Conf.pm
// trusted_networks / internal_networks / msa_networks): each relay, newest first, is trusted
// while the chain stays inside trusted_networks (or, when neither list is configured, SA's
// inference: a private address or an authenticated hop keeps trust; the first public,
// unauthenticated hop ends it), internal likewise. 127.0.0.0/8 and ::1 are always both.
// The milter sees the message before Postfix adds its own Received field, so the connecting
// client (RelayOptions::connecting_client) is prepended as the newest relay, as SA running after
// delivery would read it. Fills the X-Spam-Relays-{Trusted,Untrusted,Internal,External} texts.
// At most limits::kMaxSpamRelays Received fields are read (newest first). Pure; thread-safe.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "common/net/cidr.hpp"
#include "milters/spam/mime/parsed_message.hpp"
#include "milters/spam/scan/received_relays.hpp"

namespace mw::spam {

struct RelayOptions {
    /// SA trusted_networks / internal_networks; both unset = infer (SA's default). When only
    /// one is set, SA uses it for the other. 127/8 and ::1 are added to both when set.
    std::optional<net::CidrSet> trusted_networks;
    std::optional<net::CidrSet> internal_networks;
    net::CidrSet msa_networks;   // SA msa_networks (only with configured networks)
    /// SA originating_ip_headers (default none): their first address becomes a synthetic
    /// "X-Originating-IP" relay at the end of the chain.
    std::vector<std::string> originating_ip_headers;
    /// The SMTP client this milter sees (Postfix's own Received field, not in the message yet).
    /// Its ip/rdns/helo/by/auth are used as given; prepended as the newest relay.
    std::optional<Relay> connecting_client;
    /// SA's suppl_attrib originating: the message was submitted from inside / authenticated.
    bool originating = false;
};

struct RelayAnalysis {
    std::vector<Relay> trusted, untrusted, internal, external;
    std::string trusted_str, untrusted_str, internal_str, external_str;
    int unparseable = 0;                 // SA num_relays_unparseable
    int last_trusted_relay_index = -1;   // SA's index of the last trusted Received (newest = 0)
    int last_internal_relay_index = -1;
};

/// Runs SA's parse_received_headers over the message's Received fields.
RelayAnalysis analyze_relays(const std::vector<HeaderField>& headers, const RelayOptions& o);

/// A connecting client as a Relay (Postfix's own handover): helo, verified name or "" / "unknown",
/// address, our host name as by, and the SASL mechanism as auth when authenticated.
Relay client_relay(std::string_view ip, std::string_view rdns, std::string_view helo, std::string_view by,
                   std::string_view auth);

}  // namespace mw::spam
