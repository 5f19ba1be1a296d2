// Sha256: incremental SHA-256 over OpenSSL's EVP interface, the context held by a CHandle.
// Thread-compatible (one per stream).
#pragma once

#include <array>
#include <cstdint>
#include <string_view>

#include <openssl/evp.h>

#include "common/base/c_handle.hpp"

namespace mw::dkim {

using Digest = std::array<std::uint8_t, 32>;

class Sha256 {
public:
    Sha256();  // throws std::bad_alloc if OpenSSL cannot allocate (start-of-message only)
    void update(std::string_view data);
    /// Ends the stream; the object must not be updated afterwards.
    Digest finish();

    static Digest of(std::string_view data);

private:
    CHandle<EVP_MD_CTX, EVP_MD_CTX_free> ctx_;
};

}  // namespace mw::dkim
