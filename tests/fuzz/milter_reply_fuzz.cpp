// Fuzzes what a milter sends back to the MTA side: framing (PacketReader), every reply
// (decode_response) and the option-negotiation reply with its macro lists (decode_optneg).
#include <cstdint>
#include <string_view>

#include "common/milter/packet_codec.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    using namespace mw::milter;
    PacketReader reader;
    reader.feed(std::string_view(reinterpret_cast<const char*>(data), size));
    for (int i = 0; i < 1000; ++i) {
        auto p = reader.next();
        if (!p || !*p) break;
        if (auto r = decode_response(**p)) (void)encode_response(*r);
        if (auto o = decode_optneg(**p)) (void)encode_optneg_reply(*o);
    }
    return 0;
}
