// Fuzzes the streaming body canonicalizers: any split of the input into two chunks must give
// the same canonical bytes as one chunk (aborts otherwise).
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "milters/dkim/body_canonicalizer.hpp"

namespace {
std::string run(mw::dkim::Canon c, std::string_view a, std::string_view b) {
    mw::dkim::BodyCanonicalizer bc(c);
    std::string out;
    bc.feed(a, out);
    bc.feed(b, out);
    bc.finish(out);
    return out;
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    const std::size_t cut = size == 0 ? 0 : data[0] % (size + 1);
    for (auto c : {mw::dkim::Canon::Simple, mw::dkim::Canon::Relaxed})
        if (run(c, text, {}) != run(c, text.substr(0, cut), text.substr(cut))) std::abort();
    return 0;
}
