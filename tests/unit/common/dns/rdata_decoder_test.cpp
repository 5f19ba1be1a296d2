#include "common/dns/rdata_decoder.hpp"

#include <catch2/catch.hpp>
#include <initializer_list>
#include <string>

#include "common/base/limits.hpp"

using namespace mw::dns;
namespace limits = mw::limits;

namespace {

std::string bytes(std::initializer_list<int> b) {
    std::string out;
    for (int c : b) out += static_cast<char>(c);
    return out;
}

// "Host.Test" -> \4Host\4Test\0
std::string wire_name(const std::string& dotted) {
    std::string out;
    std::size_t start = 0;
    while (start < dotted.size()) {
        auto dot = dotted.find('.', start);
        if (dot == std::string::npos) dot = dotted.size();
        out += static_cast<char>(dot - start);
        out += dotted.substr(start, dot - start);
        start = dot + 1;
    }
    return out + '\0';
}

std::string txt_strings(std::initializer_list<std::string> strings) {
    std::string out;
    for (const auto& s : strings) out += static_cast<char>(s.size()) + s;
    return out;
}

}  // namespace

TEST_CASE("RdataDecoder: A and AAAA", "[dns]") {
    auto a = decode_rdata(RrType::A, bytes({192, 0, 2, 1}));
    REQUIRE(a);
    CHECK(std::get<mw::net::IpAddress>(*a).to_string() == "192.0.2.1");
    auto v6 = decode_rdata(RrType::AAAA,
                           bytes({0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1}));
    REQUIRE(v6);
    CHECK(std::get<mw::net::IpAddress>(*v6).to_string() == "2001:db8::1");
    CHECK_FALSE(decode_rdata(RrType::A, bytes({192, 0, 2})));
    CHECK_FALSE(decode_rdata(RrType::A, bytes({192, 0, 2, 1, 5})));
    CHECK_FALSE(decode_rdata(RrType::AAAA, bytes({192, 0, 2, 1})));
    CHECK_FALSE(decode_rdata(RrType::A, ""));
}

TEST_CASE("RdataDecoder: names come out lower case without the trailing dot", "[dns]") {
    for (auto type : {RrType::PTR, RrType::NS, RrType::CNAME}) {
        auto n = decode_rdata(type, wire_name("Mail.Example.TEST"));
        REQUIRE(n);
        CHECK(std::get<DomainName>(*n).value == "mail.example.test");
    }
    auto root = decode_rdata(RrType::PTR, bytes({0}));
    REQUIRE(root);
    CHECK(std::get<DomainName>(*root).value.empty());
}

TEST_CASE("RdataDecoder: malformed names are errors", "[dns]") {
    CHECK_FALSE(decode_rdata(RrType::PTR, ""));                              // nothing
    CHECK_FALSE(decode_rdata(RrType::PTR, bytes({4, 'h', 'o', 's', 't'})));  // no root label
    CHECK_FALSE(decode_rdata(RrType::PTR, bytes({9, 'h', 'o', 0})));         // label past the end
    CHECK_FALSE(decode_rdata(RrType::PTR, bytes({0xc0, 0x0c})));             // compression pointer
    CHECK_FALSE(decode_rdata(RrType::PTR, bytes({0x40, 'a', 0})));           // extended label type
    CHECK_FALSE(decode_rdata(RrType::PTR, wire_name("a.b") + "x"));          // trailing bytes
    CHECK_FALSE(decode_rdata(RrType::PTR, bytes({3, 'a', '.', 'b', 0})));    // dot inside a label
    CHECK_FALSE(decode_rdata(RrType::PTR, bytes({3, 'a', 0, 'b', 0})));      // NUL inside a label
    CHECK_FALSE(decode_rdata(RrType::PTR, bytes({3, 'a', ' ', 'b', 0})));    // space
    CHECK_FALSE(
        decode_rdata(RrType::PTR, bytes({2, 'a', static_cast<char>(0xe9), 0})));  // non-ASCII
}

TEST_CASE("RdataDecoder: name length limits, at and past the bound", "[dns]") {
    std::string label63(limits::kMaxDnsLabel, 'a');
    CHECK(decode_rdata(RrType::PTR, wire_name(label63 + ".test")));
    CHECK_FALSE(decode_rdata(RrType::PTR, wire_name(label63 + "a.test")));
    // 4 labels of 61 + 3 dots = 247; plus ".abcde" = 253 characters (255 octets on the wire).
    std::string label61(61, 'b');
    std::string at = label61 + "." + label61 + "." + label61 + "." + label61 + ".abcde";
    REQUIRE(at.size() == limits::kMaxDnsName);
    auto ok = decode_rdata(RrType::PTR, wire_name(at));
    REQUIRE(ok);
    CHECK(std::get<DomainName>(*ok).value == at);
    CHECK_FALSE(decode_rdata(RrType::PTR, wire_name(at + "f")));
}

TEST_CASE("RdataDecoder: MX", "[dns]") {
    auto mx = decode_rdata(RrType::MX, bytes({0, 10}) + wire_name("MX1.Example.test"));
    REQUIRE(mx);
    CHECK(std::get<MxRecord>(*mx).preference == 10);
    CHECK(std::get<MxRecord>(*mx).exchange == "mx1.example.test");
    auto big = decode_rdata(RrType::MX, bytes({0x12, 0x34, 0}));  // RFC 7505 null MX is "."
    REQUIRE(big);
    CHECK(std::get<MxRecord>(*big).preference == 0x1234);
    CHECK(std::get<MxRecord>(*big).exchange.empty());
    CHECK_FALSE(decode_rdata(RrType::MX, bytes({0, 10})));
    CHECK_FALSE(decode_rdata(RrType::MX, bytes({0})));
    CHECK_FALSE(decode_rdata(RrType::MX, bytes({0, 10, 0xc0, 0x0c})));
}

TEST_CASE("RdataDecoder: TXT strings are joined without separators", "[dns]") {
    auto t = decode_rdata(RrType::TXT, txt_strings({"v=spf1 ", "ip4:192.0.2.0/24", " -all"}));
    REQUIRE(t);
    CHECK(std::get<TextRecord>(*t).value == "v=spf1 ip4:192.0.2.0/24 -all");
    auto spf = decode_rdata(RrType::SPF, txt_strings({"v=spf1 -all"}));
    REQUIRE(spf);
    CHECK(std::get<TextRecord>(*spf).value == "v=spf1 -all");
    auto empty_string = decode_rdata(RrType::TXT, bytes({0}));
    REQUIRE(empty_string);
    CHECK(std::get<TextRecord>(*empty_string).value.empty());
    CHECK_FALSE(decode_rdata(RrType::TXT, ""));
    CHECK_FALSE(decode_rdata(RrType::TXT, bytes({5, 'a', 'b'})));
    CHECK_FALSE(decode_rdata(RrType::TXT, txt_strings({"ok"}) + bytes({3, 'x'})));
}

TEST_CASE("RdataDecoder: TXT record length, at and past kMaxTxtRecord", "[dns]") {
    std::string at, chunk(255, 'x');
    std::size_t text_len = 0;
    for (; text_len + chunk.size() <= limits::kMaxTxtRecord; text_len += chunk.size())
        at += static_cast<char>(chunk.size()) + chunk;
    std::size_t rest = limits::kMaxTxtRecord - text_len;
    at += static_cast<char>(rest) + std::string(rest, 'y');
    auto ok = decode_rdata(RrType::TXT, at);
    REQUIRE(ok);
    CHECK(std::get<TextRecord>(*ok).value.size() == limits::kMaxTxtRecord);
    auto too_long = decode_rdata(RrType::TXT, at + bytes({1, 'z'}));
    REQUIRE_FALSE(too_long);
    CHECK(too_long.error().code == mw::ErrorCode::TooLong);
}

TEST_CASE("RdataDecoder: SOA is not decoded", "[dns]") {
    auto soa = decode_rdata(RrType::SOA,
                            wire_name("ns.test") + wire_name("h.test") + std::string(20, '\0'));
    REQUIRE_FALSE(soa);
    CHECK(soa.error().code == mw::ErrorCode::Unsupported);
}

TEST_CASE("RdataDecoder: add_records skips malformed records and says why", "[dns]") {
    Answer a;
    a.rcode = Rcode::NoError;
    std::string good = bytes({192, 0, 2, 1}), bad = bytes({1, 2});
    add_records(RrType::A, {good, bad, bytes({192, 0, 2, 2})}, a);
    CHECK(a.rcode == Rcode::NoError);
    REQUIRE(a.addresses.size() == 2);
    CHECK(a.addresses[1].to_string() == "192.0.2.2");
    CHECK(a.why.find("skipped 1 malformed A") != std::string::npos);
    CHECK(a.malformed == 1);
}

TEST_CASE("RdataDecoder: an answer of malformed records only is SERVFAIL", "[dns]") {
    Answer a;
    a.rcode = Rcode::NoError;
    std::string bad = bytes({0xc0, 0x0c});
    add_records(RrType::PTR, {bad, bad}, a);
    CHECK(a.rcode == Rcode::ServFail);
    CHECK(a.size() == 0);
    CHECK(a.malformed == 2);
    CHECK(a.why.find("compressed") != std::string::npos);
}

TEST_CASE("RdataDecoder: add_records keeps at most kMaxDnsRecords", "[dns]") {
    std::string rec = bytes({192, 0, 2, 1});
    std::vector<std::string_view> at(limits::kMaxDnsRecords, rec);
    Answer a;
    a.rcode = Rcode::NoError;
    add_records(RrType::A, at, a);
    CHECK(a.addresses.size() == limits::kMaxDnsRecords);
    CHECK(a.why.empty());
    std::vector<std::string_view> past(limits::kMaxDnsRecords + 1, rec);
    Answer b;
    b.rcode = Rcode::NoError;
    add_records(RrType::A, past, b);
    CHECK(b.addresses.size() == limits::kMaxDnsRecords);
    CHECK(b.why.find("rest ignored") != std::string::npos);
}
