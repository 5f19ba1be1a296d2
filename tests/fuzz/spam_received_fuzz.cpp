// Fuzzes the Received field parser (SpamAssassin's parse_received_line shapes) and the relay
// string it feeds X-Spam-Relays-*: any bytes, no crash, bounded output.
#include <cstdint>
#include <string_view>

#include "milters/spam/scan/received_relays.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    const std::string_view value(reinterpret_cast<const char*>(data), size);
    const auto parsed = mw::spam::parse_received(value);
    if (parsed.kind == mw::spam::ReceivedKind::Relay) {
        const std::string s = mw::spam::relay_as_string(parsed.relay);
        // Every field comes from the input: the string cannot outgrow it by more than its labels.
        if (s.size() > 2 * size + 256) __builtin_trap();
    }
    (void)mw::spam::ip_is_private(value);
    (void)mw::spam::is_ipv4_address(value);
    return 0;
}
