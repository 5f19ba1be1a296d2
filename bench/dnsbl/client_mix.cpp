#include "bench/dnsbl/client_mix.hpp"

#include <fmt/format.h>

namespace mw::bench {

std::string ClientMix::next() {
    const uint32_t n = next_.fetch_add(1, std::memory_order_relaxed);
    if (!cold_) return fmt::format("198.51.100.{}", n % kWarmClients + 1);
    const uint32_t host = n & 0xffffffu;
    return fmt::format("10.{}.{}.{}", host >> 16, (host >> 8) & 0xffu, host & 0xffu);
}

}  // namespace mw::bench
