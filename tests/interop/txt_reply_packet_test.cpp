#include <catch2/catch.hpp>

#include "common/dns/rdata_decoder.hpp"
#include "tests/support/txt_reply_packet.hpp"

using namespace mw;
using namespace mw::test;

namespace {
unsigned at16(const std::string& s, std::size_t i) {
    return static_cast<unsigned>(static_cast<unsigned char>(s[i]) << 8 | static_cast<unsigned char>(s[i + 1]));
}
}  // namespace

TEST_CASE("TXT reply: header, question, answers with texts split at 255 bytes") {
    dns::Answer a;
    a.rcode = dns::Rcode::NoError;
    a.ttl = 300;
    a.texts = {std::string(600, 'k'), "short"};
    const auto wire = encode_txt_reply("sel._domainkey.example.com.", a, 8192);
    REQUIRE(wire);
    CHECK(at16(*wire, 4) == 1);                   // QDCOUNT
    CHECK(at16(*wire, 6) == 2);                   // ANCOUNT
    CHECK((static_cast<unsigned char>((*wire)[3]) & 0x0F) == 0);  // RCODE
    const std::string qname = "\x03sel\x0a_domainkey\x07" "example\x03" "com";
    CHECK(wire->substr(12, qname.size() + 1) == qname + std::string(1, '\0'));
    std::size_t p = 12 + qname.size() + 1 + 4;   // first answer
    CHECK(at16(*wire, p) == 0xC00C);
    CHECK(at16(*wire, p + 2) == 16);
    const auto rdlen = at16(*wire, p + 10);
    CHECK(rdlen == 600 + 3);                      // three character-strings: 255, 255, 90
    const auto rdata = dns::decode_rdata(dns::RrType::TXT, std::string_view(*wire).substr(p + 12, rdlen));
    REQUIRE(rdata);
    CHECK(std::get<dns::TextRecord>(*rdata).value == std::string(600, 'k'));
    CHECK(static_cast<unsigned char>((*wire)[p + 12]) == 255);
    CHECK(static_cast<unsigned char>((*wire)[p + 12 + 256 + 256]) == 90);
    CHECK(p + 12 + rdlen + 12 + 6 == wire->size());  // second answer: "short"
}

TEST_CASE("TXT reply: NXDOMAIN, failures, bounds") {
    dns::Answer nx;
    nx.rcode = dns::Rcode::NxDomain;
    const auto wire = encode_txt_reply("x.example.com", nx, 512);
    REQUIRE(wire);
    CHECK((static_cast<unsigned char>((*wire)[3]) & 0x0F) == 3);
    CHECK(at16(*wire, 6) == 0);

    dns::Answer servfail;
    servfail.rcode = dns::Rcode::ServFail;
    CHECK_FALSE(encode_txt_reply("x.example.com", servfail, 512));

    dns::Answer big;
    big.rcode = dns::Rcode::NoError;
    big.texts = {std::string(1000, 'k')};
    const auto too_big = encode_txt_reply("x.example.com", big, 512);
    REQUIRE_FALSE(too_big);
    CHECK(too_big.error().code == ErrorCode::TooLong);
    CHECK_FALSE(encode_txt_reply(std::string(64, 'a') + ".example.com", big, 8192));
    CHECK_FALSE(encode_txt_reply("a..example.com", big, 8192));
}
