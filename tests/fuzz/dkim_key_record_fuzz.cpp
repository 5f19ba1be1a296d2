// Fuzzes the DKIM key record parser (RFC 6376 §3.6.1) and public key decoding.
#include <cstdint>
#include <string_view>

#include "milters/dkim/key_record.hpp"
#include "milters/dkim/signing_key.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    if (auto rec = mw::dkim::KeyRecord::parse(text)) {
        if (auto key = mw::dkim::PublicKey::from_record(*rec))
            (void)key->verify(mw::dkim::Algorithm::RsaSha256, "data", "sig");
    }
    return 0;
}
