// libFuzzer entry for the RDATA decoder (common/dns/rdata_decoder.hpp): the first byte picks the
// record type, the rest is the RDATA. Also runs add_records() on the same bytes split in two, so
// the per-answer bounds and the skip-malformed path are exercised too.
#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

#include "common/dns/rdata_decoder.hpp"

namespace {

constexpr mw::dns::RrType kTypes[] = {
    mw::dns::RrType::A,   mw::dns::RrType::AAAA,  mw::dns::RrType::PTR,
    mw::dns::RrType::NS,  mw::dns::RrType::CNAME, mw::dns::RrType::MX,
    mw::dns::RrType::TXT, mw::dns::RrType::SPF,   mw::dns::RrType::SOA,
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    if (size == 0) return 0;
    auto type = kTypes[data[0] % (sizeof kTypes / sizeof kTypes[0])];
    std::string_view rdata(reinterpret_cast<const char*>(data + 1), size - 1);
    (void)mw::dns::decode_rdata(type, rdata);
    mw::dns::Answer answer;
    answer.rcode = mw::dns::Rcode::NoError;
    std::vector<std::string_view> parts = {rdata.substr(0, rdata.size() / 2),
                                           rdata.substr(rdata.size() / 2)};
    mw::dns::add_records(type, parts, answer);
    return 0;
}
