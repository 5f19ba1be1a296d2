#include "milters/dkim/sha256.hpp"

#include <new>

namespace mw::dkim {

Sha256::Sha256() : ctx_(EVP_MD_CTX_new()) {
    if (!ctx_ || EVP_DigestInit_ex(ctx_.get(), EVP_sha256(), nullptr) != 1) throw std::bad_alloc();
}

void Sha256::update(std::string_view data) {
    if (!data.empty()) EVP_DigestUpdate(ctx_.get(), data.data(), data.size());
}

Digest Sha256::finish() {
    Digest d{};
    unsigned int len = 0;
    EVP_DigestFinal_ex(ctx_.get(), d.data(), &len);
    return d;
}

Digest Sha256::of(std::string_view data) {
    Sha256 h;
    h.update(data);
    return h.finish();
}

}  // namespace mw::dkim
