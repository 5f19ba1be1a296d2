// Fuzzes the cidr_table(5) parser (patterns, if/endif blocks, results) and lookups.
#include <cstdint>
#include <string_view>

#include "common/table/cidr_table.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    auto table = mw::table::CidrTable::parse(text, "fuzz");
    if (!table) return 0;
    (void)table->find(std::string_view("192.0.2.1"));
    (void)table->find(std::string_view("2001:db8::1"));
    (void)table->find(std::string_view("::ffff:10.1.2.3"));
    (void)table->find(text.substr(0, 64));
    return 0;
}
