#include "milters/spam/message_scorer.hpp"

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

std::string envelope_from_headers(const std::vector<HeaderField>& headers) {
    bool below_received = false;
    std::string found[3];
    constexpr const char* kNames[3] = {"X-Envelope-From", "Envelope-Sender", "Return-Path"};
    for (const auto& h : headers) {
        if (iequals_ascii(h.name, "Received")) below_received = true;
        for (int i = 0; i < 3; ++i) {
            if (!iequals_ascii(h.name, kNames[i]) || !found[i].empty()) continue;
            auto a = parse_address_list(h.raw);
            // A field under a Received: one was added on the way: SA does not trust it.
            found[i] = below_received || a.empty() ? std::string("\x01") : a.front().address;
        }
    }
    for (const auto& f : found)
        if (!f.empty() && f != "\x01") return f;
    return {};
}

}  // namespace mw::spam
