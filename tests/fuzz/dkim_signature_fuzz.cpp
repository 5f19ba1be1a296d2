// Fuzzes the DKIM-Signature tag-list parser (RFC 6376 §3.5) and b= stripping.
#include <cstdint>
#include <string_view>

#include "milters/dkim/dkim_signature.hpp"
#include "milters/dkim/header_hash.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    if (auto sig = mw::dkim::DkimSignature::parse(text)) {
        (void)mw::dkim::algorithm_name(sig->algorithm);
        (void)mw::dkim::canonicalization_text(sig->canon);
    }
    (void)mw::dkim::strip_b_value(text);
    return 0;
}
