// Fuzzes reply template parsing (default_rbl_reply, rbl_reply_maps) and expansion: the output
// must stay bounded and single-line whatever the template and values.
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "common/base/limits.hpp"
#include "milters/dnsbl/reply_map.hpp"
#include "milters/dnsbl/reply_template.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    mw::dnsbl::ReplyVariables vars;
    vars.rbl_reason = std::string(text);
    vars.client_address = "192.0.2.1";
    if (auto t = mw::dnsbl::ReplyTemplate::parse(text)) {
        const auto out = t->expand(vars);
        if (out.size() > mw::limits::kMaxDnsblReply) std::abort();
        if (out.find_first_of("\r\n") != std::string::npos) std::abort();
    }
    if (auto map = mw::dnsbl::ReplyMap::parse(text, "fuzz")) (void)map->find("zen.example");
    return 0;
}
