// SA 4.0.1 Received.pm parse_received_headers: the trusted/untrusted and internal/external split.
#include "milters/spam/scan/relay_trust.hpp"

#include "common/base/ascii.hpp"
#include "common/base/limits.hpp"
#include "milters/spam/scan/capture_regex.hpp"

namespace mw::spam {

namespace {

/// The networks SA works with after Conf.pm's fallbacks (one list stands in for the other).
struct Networks {
    bool configured = false;
    net::CidrSet trusted, internal;
};

net::CidrSet with_loopback(net::CidrSet set) {
    // Conf.pm new_netset(..., 1): 127.0.0.0/8 and ::1 are always in both lists.
    for (const char* c : {"127.0.0.0/8", "::1"})
        if (auto cidr = net::Cidr::parse(c)) set.add(*cidr);
    return set;
}

Networks networks_for(const RelayOptions& o) {
    Networks n;
    if (!o.trusted_networks && !o.internal_networks) return n;
    n.configured = true;
    n.trusted = with_loopback(o.trusted_networks ? *o.trusted_networks : *o.internal_networks);
    n.internal = with_loopback(o.internal_networks ? *o.internal_networks : *o.trusted_networks);
    return n;
}

bool contains(const net::CidrSet& set, std::string_view ip) {
    auto addr = net::IpAddress::parse(ip);
    return addr && set.contains(*addr);
}

/// The Received values, newest first, plus SA's synthetic originating_ip_headers lines.
std::vector<std::string> received_lines(const std::vector<HeaderField>& headers, const RelayOptions& o) {
    std::vector<std::string> out;
    for (const auto& f : headers) {
        if (out.size() >= limits::kMaxSpamRelays) break;
        if (iequals_ascii(f.name, "Received")) out.push_back(f.decoded);
    }
    static const CaptureRegex kIp("(@IP@)");
    for (const auto& name : o.originating_ip_headers) {
        for (auto it = headers.rbegin(); it != headers.rend(); ++it) {   // SA's scalar get_header: the last one
            if (!iequals_ascii(it->name, name)) continue;
            Captures c;
            if (kIp.search(it->decoded, &c)) out.push_back("from X-Originating-IP: " + c.str(1) + "\n");
            break;
        }
    }
    return out;
}

class TrustWalk {
public:
    TrustWalk(const RelayOptions& o, RelayAnalysis& out) : o_(o), net_(networks_for(o)), out_(out) {}

    void add_parsed(const std::string& line) {
        std::string pending;
        pending.swap(qmail_scanner_envfrom_);   // a qmail-scanner line describes the next handover
        ReceivedParse p = parse_received(line);
        if (p.fetcher_marker) restart_at_fetcher();
        if (p.qmail_scanner) qmail_scanner_envfrom_ = p.qmail_scanner_envfrom;
        if (p.kind != ReceivedKind::Relay) {
            if (p.kind == ReceivedKind::Unparseable) ++out_.unparseable;
            if (in_trusted_) ++out_.last_trusted_relay_index;
            if (in_internal_) ++out_.last_internal_relay_index;
            return;
        }
        if (!pending.empty() && pending != "0") p.relay.envfrom = pending;   // Perl truth
        add(std::move(p.relay));
    }

    void add(Relay relay) {
        if (in_trusted_ && !found_msa_) update_trust(relay);
        relay.internal = in_internal_;
        if (in_trusted_) {
            ++out_.last_trusted_relay_index;
            out_.trusted.push_back(relay);
        } else {
            out_.untrusted.push_back(relay);
        }
        allow_fetch_markers_ = in_trusted_;
        if (in_internal_) {
            ++out_.last_internal_relay_index;
            out_.internal.push_back(std::move(relay));
        } else {
            out_.external.push_back(std::move(relay));
        }
    }

private:
    void update_trust(Relay& relay) {
        if (!net_.configured) {
            // SA's inference: private addresses and authenticated hops keep trust.
            if (!relay.ip_private && relay.auth.empty()) in_trusted_ = in_internal_ = false;
            return;
        }
        if (relay.auth.empty() && !contains(net_.trusted, relay.ip)) {
            if (o_.originating) found_msa_ = true;   // the hop before was the MSA: trust onwards
            else in_trusted_ = false;
            in_internal_ = false;
            return;
        }
        if (in_internal_ && relay.auth.empty() && !contains(net_.internal, relay.ip)) in_internal_ = false;
        if (contains(o_.msa_networks, relay.ip)) {
            found_msa_ = true;
            relay.msa = true;
        }
    }

    /// SA found_pop_fetcher_sig: a fetchmail/getmail hop inside the trusted part restarts it.
    void restart_at_fetcher() {
        if (!allow_fetch_markers_) return;
        out_.trusted.clear();
        out_.internal.clear();
        out_.external.clear();
    }

    const RelayOptions& o_;
    Networks net_;
    RelayAnalysis& out_;
    bool in_trusted_ = true, in_internal_ = true, found_msa_ = false, allow_fetch_markers_ = true;
    std::string qmail_scanner_envfrom_;
};

std::string join(const std::vector<Relay>& relays) {
    std::string out;
    for (const auto& r : relays) {
        if (!out.empty()) out += ' ';
        out += relay_as_string(r);
    }
    return out;
}

}  // namespace

RelayAnalysis analyze_relays(const std::vector<HeaderField>& headers, const RelayOptions& o) {
    RelayAnalysis out;
    TrustWalk walk(o, out);
    if (o.connecting_client) walk.add(*o.connecting_client);
    for (const auto& line : received_lines(headers, o)) walk.add_parsed(line);
    out.trusted_str = join(out.trusted);
    out.untrusted_str = join(out.untrusted);
    out.internal_str = join(out.internal);
    out.external_str = join(out.external);
    return out;
}

Relay client_relay(std::string_view ip, std::string_view rdns, std::string_view helo, std::string_view by,
                   std::string_view auth) {
    // Exactly what SA would read from Postfix's own "from HELO (RDNS [IP]) by BY (Postfix) with ...".
    const std::string name = rdns.empty() ? std::string("unknown") : std::string(rdns);
    std::string line = "from " + (helo.empty() ? name : std::string(helo)) + " (" + name + " [" +
                       std::string(ip) + "]) by " + std::string(by) + " (Postfix) with " +
                       (auth.empty() ? "ESMTP" : "ESMTPA");
    ReceivedParse p = parse_received(line);
    if (p.kind == ReceivedKind::Relay) return p.relay;
    Relay r;   // a HELO with spaces and the like: fill in directly
    r.ip = ip, r.rdns = rdns == "unknown" ? "" : std::string(rdns), r.helo = helo, r.by = by;
    r.auth = auth.empty() ? "" : "ESMTPA";
    r.ip_private = ip_is_private(r.ip);
    r.no_reverse_dns = r.rdns.empty();
    return r;
}

}  // namespace mw::spam
