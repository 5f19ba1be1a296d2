// Fuzzes the access(5) table parser (text rules, action parser) and address lookups.
#include <cstdint>
#include <string_view>

#include "common/table/access_table.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    (void)mw::table::parse_access_action(text.substr(0, 512));
    auto table = mw::table::AccessTable::parse(text, "fuzz");
    if (!table) return 0;
    mw::table::AccessLookupOptions options;
    options.recipient_delimiter = "+-";
    (void)table->find_address("user+ext@mail.example.com", options);
    (void)table->find_address(text.substr(0, 256), options);
    options.parent_domain_matches_subdomains = false;
    (void)table->find_address(text.substr(0, 256), options);
    (void)table->find_domain(text.substr(0, 256));
    return 0;
}
