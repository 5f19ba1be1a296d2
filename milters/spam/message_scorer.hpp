// MessageScorer: one message from raw bytes to its SpamVerdict: parse (MessageParser), read what
// our other checks recorded (AuthFacts), scan (CompiledRules), add mailwarden-dnsbl's score, and
// compare with required_score. Shared by the milter session and `mailwarden spam check`, so both
// score exactly alike. Thread-compatible: one MessageScorer (it owns scan scratch) per thread.
#pragma once

#include <string_view>

#include "milters/spam/scan/compiled_rules.hpp"
#include "milters/spam/scan/relay_trust.hpp"
#include "milters/spam/scan/scan_input.hpp"
#include "milters/spam/scan/spam_scanner.hpp"
#include "milters/spam/spam_headers.hpp"
#include "milters/spam/spam_settings.hpp"

namespace mw::spam {

struct ScoredMessage {
    SpamVerdict verdict;
    bool timed_out = false;
    bool truncated = false;        // the MIME bounds cut the analysis short
    std::string truncated_why;
    bool dnsbl_counted = false;
};

class MessageScorer {
public:
    explicit MessageScorer(const CompiledRules& rules) : rules_(rules) {}

    ScoredMessage score(std::string_view raw, const Envelope& envelope, const SpamSettings& settings,
                        std::optional<int64_t> received_at);

private:
    const CompiledRules& rules_;
    ScanScratch scratch_;
};

/// The envelope sender SpamAssassin assumes for a stored message (get_envelope_from): the last
/// untrusted relay's envelope-from, else X-Envelope-From, Envelope-Sender or Return-Path when no
/// Received field is above it; none when fetchmail's X-Sender makes it unreliable.
std::string infer_envelope_from(const std::vector<HeaderField>& headers, const RelayAnalysis& relays);

}  // namespace mw::spam
