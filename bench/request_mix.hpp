// RequestMix: the policy requests Postfix 3.7's smtpd sends for a stream of messages on one
// connection (SMTPD_POLICY_README): every attribute of 3.7, protocol_state=RCPT, one request
// per recipient (1 to 3) with the same `instance`, instance "PID.SEC.USEC.SEQ" in hex as smtpd
// makes it, queue_id empty for the first recipient (smtpd_delay_open_until_valid_rcpt) and set
// after. Warm mode draws from a small fixed set of clients and senders (pass, pass by include,
// softfail, fail, none, null sender, IPv6, SASL), so a result cache hits after a few messages;
// cold mode gives every message a new sender domain and HELO name under cold.test, so every
// message needs fresh DNS answers. The names resolve in the zone that run_policyd_bench.sh
// serves. Deterministic for a given (mode, stream, seed). Not thread-safe: one per connection.
#pragma once

#include <cstdint>
#include <random>
#include <string>
#include <vector>

namespace mw::bench {

enum class CacheMode { Warm, Cold };

class RequestMix {
public:
    RequestMix(CacheMode mode, unsigned stream, std::uint64_t seed);

    /// The requests of the next message, one per recipient, each ending in the empty line.
    std::vector<std::string> next_message();

private:
    struct Client {
        std::string address, name, helo, sender;
        bool sasl = false;
    };
    Client warm_client();
    Client cold_client();
    std::string request(const Client& c, const std::string& recipient, const std::string& queue_id,
                        const std::string& instance, const std::string& tls, unsigned size,
                        unsigned port);
    unsigned pick(unsigned n);

    CacheMode mode_;
    unsigned stream_;
    std::uint64_t seed_;
    std::mt19937_64 rng_;
    std::uint64_t seq_ = 0;
};

}  // namespace mw::bench
