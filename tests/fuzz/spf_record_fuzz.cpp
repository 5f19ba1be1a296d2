// Fuzzes the RFC 7208 record parser and macro expansion (outside text from any sender's DNS).
#include <cstdint>
#include <string_view>

#include "common/spf/spf_macro.hpp"
#include "common/spf/spf_record.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    (void)mw::spf::is_spf_record(text);
    (void)mw::spf::parse_spf_record(text);
    mw::spf::MacroContext ctx;
    ctx.local_part = "user";
    ctx.sender_domain = "example.test";
    ctx.domain = "sub.example.test";
    ctx.client = *mw::net::IpAddress::parse("2001:db8::1");
    ctx.helo = "mx.example.test";
    ctx.receiver = "rx.test";
    (void)mw::spf::expand_macros(text, ctx, mw::spf::MacroUse::Domain);
    (void)mw::spf::expand_macros(text, ctx, mw::spf::MacroUse::Explanation);
    return 0;
}
