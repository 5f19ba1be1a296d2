// Fuzzes the key_table and signing_table parsers (OpenDKIM formats) and wildcard matching.
#include <cstdint>
#include <string_view>

#include "milters/dkim/key_table.hpp"
#include "milters/dkim/signing_table.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    (void)mw::dkim::KeyTable::parse(text, "fuzz");
    if (auto table = mw::dkim::SigningTable::parse(text, "fuzz")) {
        (void)table->find_all("user@example.com");
        (void)table->find_all(text.substr(0, 256));
    }
    return 0;
}
