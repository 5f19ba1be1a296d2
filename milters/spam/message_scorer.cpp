#include "milters/spam/message_scorer.hpp"

#include <optional>

#include "common/base/ascii.hpp"
#include "milters/spam/mime/message_parser.hpp"
#include "milters/spam/scan/address_list.hpp"
#include "milters/spam/scan/auth_facts.hpp"
#include "milters/spam/scan/relay_trust.hpp"

namespace mw::spam {

ScoredMessage MessageScorer::score(std::string_view raw, const Envelope& envelope, const SpamSettings& settings,
                                   std::optional<int64_t> received_at) {
    ParsedMessage parsed = parse_message(raw);
    ScanInput input;
    input.message = &parsed;
    input.config = &rules_.rule_set();
    input.freemail = &rules_.freemail();
    input.raw = raw;
    input.envelope = envelope;
    input.auth = read_auth_facts(parsed.headers, settings.authserv_id, settings.dnsbl_header);
    input.received_at = received_at;
    RelayOptions relay_options;
    if (!settings.trusted_networks.empty()) relay_options.trusted_networks = settings.trusted_networks;
    if (!envelope.client_address.empty()) {
        // Postfix's own Received: field for this hop is added after the milters: stand in for it.
        const std::string& name = envelope.client_name;
        const bool verified = !name.empty() && name.front() != '[' && name != "unknown";
        relay_options.connecting_client = client_relay(envelope.client_address, verified ? name : "", envelope.helo,
                                                       settings.authserv_id, envelope.authenticated ? "ESMTPA" : "");
    }
    const RelayAnalysis relays = analyze_relays(parsed.headers, relay_options);
    input.relays = &relays;
    if (!envelope.mail_from_known) input.envelope.mail_from = infer_envelope_from(parsed.headers, relays);
    ScanOutcome outcome = scan_message(rules_, input, scratch_, Deadline::after(settings.scan_timeout));

    ScoredMessage out;
    SpamVerdict& v = out.verdict;
    v.required = settings.required_score;
    v.version = "mailwarden-spam " MW_SPAM_VERSION;
    v.score = outcome.score;
    for (uint32_t id : outcome.hits)
        v.tests.push_back({rules_.rule(id).name, rules_.status(id).score, rules_.rule(id).description});
    if (input.auth.dnsbl_seen && input.auth.dnsbl_score != 0 && settings.dnsbl_weight > 0) {
        const double points = input.auth.dnsbl_score * settings.dnsbl_weight;
        v.score += points;
        v.tests.push_back({"MW_DNSBL", points, "score of mailwarden-dnsbl's lists"});
        out.dnsbl_counted = true;
    }
    v.spam = v.score >= v.required;
    out.timed_out = outcome.timed_out;
    out.truncated = parsed.truncated;
    out.truncated_why = parsed.truncated_why;
    return out;
}

namespace {

/// The first address of the first `name` field, unless a Received field is above it.
std::optional<std::string> header_sender(const std::vector<HeaderField>& headers, std::string_view name) {
    bool below_received = false;
    for (const auto& h : headers) {
        if (iequals_ascii(h.name, "Received")) below_received = true;
        if (!iequals_ascii(h.name, name)) continue;
        auto a = parse_address_list(h.raw);
        if (a.empty() || below_received) return std::nullopt;
        return a.front().address;
    }
    return std::nullopt;
}

}  // namespace

std::string infer_envelope_from(const std::vector<HeaderField>& headers, const RelayAnalysis& relays) {
    const Relay* last_hop = !relays.untrusted.empty() ? &relays.untrusted.front()
                            : !relays.trusted.empty() ? &relays.trusted.back() : nullptr;
    if (last_hop && last_hop->envfrom.find('@') != std::string::npos && last_hop->envfrom[0] != '@')
        return last_hop->envfrom;
    bool x_sender = false, fetchmail = false;
    for (const auto& h : headers) {
        if (iequals_ascii(h.name, "X-Sender") && h.decoded.find('@') != std::string::npos) x_sender = true;
        if (iequals_ascii(h.name, "Received") && h.decoded.find("(fetchmail") != std::string::npos) fetchmail = true;
    }
    if (x_sender && fetchmail) return {};
    for (const char* name : {"X-Envelope-From", "Envelope-Sender", "Return-Path"})
        if (auto a = header_sender(headers, name)) return *a;
    return {};
}

}  // namespace mw::spam
