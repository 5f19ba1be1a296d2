// Fuzzes the whole message analysis (mbox line, header block, GMime tree, transfer and charset
// decoding, HTML rendering, URI finding) with small limits, so bounds are exercised too.
#include <cstdint>
#include <string_view>

#include "milters/spam/mime/message_parser.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    const std::string_view raw(reinterpret_cast<const char*>(data), size);
    (void)mw::spam::parse_message(raw);
    mw::spam::MimeLimits small;
    small.max_depth = 3;
    small.max_parts = 8;
    small.max_decoded_bytes = 512;
    small.max_text_bytes = 256;
    small.max_uris = 4;
    const auto msg = mw::spam::parse_message(raw, small);
    if (msg.parts.size() > small.max_parts + 1 || msg.uris.size() > small.max_uris) __builtin_trap();
    return 0;
}
