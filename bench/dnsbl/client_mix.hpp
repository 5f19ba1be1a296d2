// ClientMix: the client addresses dnsbl_load's connections come from. Warm: 64 addresses
// (198.51.100.1-64) over and over, so after a few connections every list answer is cached.
// Cold: every connection a new address (10.0.0.0/8, from a counter starting at seed << 20), so
// every connection needs 8 fresh DNS answers. The served lists (run_dnsbl_bench.sh) list a few
// of the warm addresses and none of the cold ones. Thread-safe (an atomic counter).
#pragma once

#include <atomic>
#include <cstdint>
#include <string>

namespace mw::bench {

class ClientMix {
public:
    ClientMix(bool cold, uint32_t seed) : cold_(cold), next_(seed << 20) {}
    /// The next connection's client address (dotted quad).
    std::string next();

private:
    static constexpr uint32_t kWarmClients = 64;
    bool cold_;
    std::atomic<uint32_t> next_;
};

}  // namespace mw::bench
