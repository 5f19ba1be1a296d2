// Fuzzes the main.cf-syntax parser and the typed validation of every value type.
#include <cstdint>
#include <string_view>

#include "common/config/config_file.hpp"
#include "common/config/config.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    auto entries = mw::config::parse_config_text(text, "fuzz.conf");
    if (entries) {
        for (const auto& e : *entries) {
            (void)mw::config::parse_duration(e.value);
            (void)mw::config::parse_bool(e.value);
        }
    }
    return 0;
}
