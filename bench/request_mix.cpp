#include "bench/request_mix.hpp"

#include <fmt/format.h>

#include <array>

namespace mw::bench {

namespace {

struct WarmSender {
    unsigned weight;   // out of 100
    const char* address;
    const char* name;  // client_name: forward-confirmed, or "unknown"
    const char* helo;
    const char* domain;  // "" for the null sender
    bool sasl;
};

// What a small MX sees most of the day; each row resolves in the bench zone.
constexpr std::array<WarmSender, 9> kWarm{{
    {30, "192.0.2.10", "mail.alpha.test", "mail.alpha.test", "alpha.test", false},       // pass (ip4)
    {15, "198.51.100.20", "out.beta.test", "out.beta.test", "beta.test", false},         // pass (include)
    {10, "198.51.100.21", "unknown", "out2.beta.test", "beta.test", false},              // pass, helo none
    {10, "203.0.113.30", "relay.gamma.test", "relay.gamma.test", "gamma.test", false},   // softfail
    {8, "203.0.113.66", "unknown", "spoof.invalid.test", "alpha.test", false},            // fail: reject
    {7, "198.51.100.44", "mx.delta.test", "mx.delta.test", "delta.test", false},         // none
    {7, "192.0.2.11", "mail.alpha.test", "mail.alpha.test", "", false},                  // bounce: helo pass
    {8, "2001:db8::25", "v6.epsilon.test", "v6.epsilon.test", "epsilon.test", false},    // pass (ip6)
    {5, "203.0.113.77", "laptop.zeta.test", "laptop", "zeta.test", true},                // SASL: skipped
}};

constexpr std::array<const char*, 4> kLocalParts{"alice", "bob", "news", "billing"};
constexpr std::array<unsigned, 3> kRecipientWeights{60, 25, 15};   // 1, 2, 3 recipients
constexpr const char* kTls = "TLSv1.3";

std::string queue_id_for(std::uint64_t seq, unsigned stream) {
    return fmt::format("4Z{:07X}{:02X}", seq & 0xfffffff, stream & 0xff);
}

}  // namespace

RequestMix::RequestMix(CacheMode mode, unsigned stream, std::uint64_t seed)
    : mode_(mode), stream_(stream), seed_(seed), rng_(seed * 1000003u + stream) {}

unsigned RequestMix::pick(unsigned n) { return static_cast<unsigned>(rng_() % n); }

RequestMix::Client RequestMix::warm_client() {
    unsigned roll = pick(100);
    for (const auto& w : kWarm) {
        if (roll < w.weight) {
            std::string sender;
            if (*w.domain) sender = fmt::format("{}@{}", kLocalParts[pick(kLocalParts.size())], w.domain);
            return {w.address, w.name, w.helo, sender, w.sasl};
        }
        roll -= w.weight;
    }
    return {kWarm[0].address, kWarm[0].name, kWarm[0].helo, "alice@alpha.test", false};
}

RequestMix::Client RequestMix::cold_client() {
    // A new domain per message (and a new HELO name): no cache can have its answer yet.
    const auto domain = fmt::format("s{:x}-{:x}-{:x}.cold.test", seed_, stream_, seq_);
    const bool pass = pick(100) < 80;   // the cold.test record authorizes 192.0.2.0/24 only
    const auto address = fmt::format("{}.{}", pass ? "192.0.2" : "203.0.113", 1 + pick(254));
    return {address, "unknown", "mta." + domain, "user" + std::to_string(pick(1000)) + "@" + domain, false};
}

std::string RequestMix::request(const Client& c, const std::string& recipient, const std::string& queue_id,
                                const std::string& instance, const std::string& tls, unsigned size,
                                unsigned port) {
    const bool with_tls = !tls.empty();
    return fmt::format(
        "request=smtpd_access_policy\nprotocol_state=RCPT\nprotocol_name=ESMTP\n"
        "helo_name={}\nqueue_id={}\nsender={}\nrecipient={}\nrecipient_count=0\n"
        "client_address={}\nclient_name={}\nreverse_client_name={}\ninstance={}\n"
        "sasl_method={}\nsasl_username={}\nsasl_sender=\nsize={}\n"
        "ccert_subject=\nccert_issuer=\nccert_fingerprint=\nccert_pubkey_fingerprint=\n"
        "encryption_protocol={}\nencryption_cipher={}\nencryption_keysize={}\n"
        "etrn_domain=\nstress=\nclient_port={}\npolicy_context=\n"
        "server_address=192.0.2.1\nserver_port=25\ncompatibility_level=3.6\nmail_version=3.7.11\n\n",
        c.helo, queue_id, c.sender, recipient, c.address, c.name, c.name, instance,
        c.sasl ? "PLAIN" : "", c.sasl ? "zeta-user" : "", size, tls,
        with_tls ? "TLS_AES_256_GCM_SHA384" : "", with_tls ? "256" : "", port);
}

std::vector<std::string> RequestMix::next_message() {
    ++seq_;
    const Client c = mode_ == CacheMode::Warm ? warm_client() : cold_client();
    // smtpd's instance: "%x.%lx.%lx.%x" of pid, arrival seconds and microseconds, sequence.
    const auto instance = fmt::format("{:x}.{:x}.{:x}.{:x}", 4000 + stream_, 1700000000 + seq_ / 7,
                                      pick(1000000), seq_);
    const std::string tls = pick(100) < 70 ? kTls : "";
    const unsigned size = 2000 + pick(200000);
    const unsigned port = 1024 + pick(64000);
    unsigned roll = pick(100), recipients = 1;
    for (unsigned w : kRecipientWeights) {
        if (roll < w) break;
        roll -= w;
        ++recipients;
    }
    std::vector<std::string> out;
    for (unsigned r = 0; r < recipients; ++r) {
        const auto rcpt = fmt::format("user{}@rcpt.test", pick(500));
        out.push_back(request(c, rcpt, r == 0 ? "" : queue_id_for(seq_, stream_), instance, tls, size, port));
    }
    return out;
}

}  // namespace mw::bench
