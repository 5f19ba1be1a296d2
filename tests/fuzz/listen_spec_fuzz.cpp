// Fuzzes listen address parsing in both spellings.
#include <cstdint>
#include <string_view>

#include "common/daemon/listen_spec.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    if (auto s = mw::daemon::ListenSpec::parse(text, true)) {
        (void)s->to_string();
        (void)s->to_libmilter();
    }
    return 0;
}
