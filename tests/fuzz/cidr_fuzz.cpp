// Fuzzes address and CIDR parsing (internal_hosts, skip_addresses, cidr tables).
#include <cstdint>
#include <string_view>

#include "common/net/cidr.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    auto set = mw::net::CidrSet::parse(text);
    if (set) {
        for (const auto& b : set->blocks()) {
            (void)b.to_string();
            (void)set->contains(b.network);
        }
    }
    if (auto ip = mw::net::IpAddress::parse(text)) {
        (void)ip->reverse_name();
        (void)ip->to_dotted();
    }
    return 0;
}
