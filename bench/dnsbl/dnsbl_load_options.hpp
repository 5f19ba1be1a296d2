// Command line of dnsbl_load (see dnsbl_load.cpp for the usage text). Pure.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/base/result.hpp"

namespace mw::bench {

enum class DnsblLoadMode { Milter, Sequential, Parallel };

struct DnsblLoadOptions {
    std::string name = "run";
    DnsblLoadMode mode = DnsblLoadMode::Milter;
    std::string milter;                   // milter mode: unix:PATH
    std::string dns = "127.0.0.1:53";     // lookup modes: the resolver's server
    std::vector<std::string> zones;       // lookup modes: the lists
    std::chrono::milliseconds timeout{5000};
    double seconds = 3;
    int conns = 1;
    bool cold = false;
    uint32_t seed = 1;
    int warmup = 0;                       // connections per thread before measuring
    std::optional<int> pid;               // server process: CPU per connection
};

Result<DnsblLoadOptions> parse_dnsbl_load_options(const std::vector<std::string>& args);

}  // namespace mw::bench
