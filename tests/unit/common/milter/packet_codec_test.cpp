#include <catch2/catch.hpp>

#include "common/milter/packet_codec.hpp"

using namespace mw::milter;
namespace limits = mw::limits;

namespace {

// Decodes exactly one framed packet.
Packet unframe(const std::string& bytes) {
    PacketReader r;
    r.feed(bytes);
    auto p = r.next();
    REQUIRE(p);
    REQUIRE(*p);
    REQUIRE(r.buffered() == 0);
    return **p;
}

Response round_trip(const Response& in) {
    auto out = decode_response(unframe(encode_response(in)));
    REQUIRE(out);
    return *out;
}

std::string u32(uint32_t v) {
    return {static_cast<char>(v >> 24), static_cast<char>(v >> 16), static_cast<char>(v >> 8),
            static_cast<char>(v)};
}

}  // namespace

TEST_CASE("packet framing: length counts the command byte, big-endian", "[milter]") {
    const std::string p = encode_packet('c', "");
    REQUIRE(p == std::string("\0\0\0\1c", 5));
    REQUIRE(encode_packet('B', "abc") == std::string("\0\0\0\4Babc", 8));
}

TEST_CASE("PacketReader: partial input, several packets, bounds", "[milter]") {
    PacketReader r;
    const std::string two = encode_packet('h', std::string("A\0b\0", 4)) + encode_packet('c', "");
    r.feed(two.substr(0, 3));
    REQUIRE(r.next().value() == std::nullopt);
    r.feed(two.substr(3, 5));
    REQUIRE(r.next().value() == std::nullopt);
    r.feed(two.substr(8));
    auto a = r.next();
    REQUIRE(a->has_value());
    CHECK((*a)->command == 'h');
    auto b = r.next();
    REQUIRE(b->has_value());
    CHECK((*b)->command == 'c');
    CHECK(r.next().value() == std::nullopt);

    PacketReader zero;
    zero.feed(std::string("\0\0\0\0", 4));
    CHECK_FALSE(zero.next());

    // At the bound: the length header alone decides, no need to send the bytes.
    PacketReader at;
    at.feed(u32(static_cast<uint32_t>(limits::kMaxMilterPacket)));
    auto ok = at.next();
    REQUIRE(ok);
    CHECK(*ok == std::nullopt);   // waits for the payload
    PacketReader over;
    over.feed(u32(static_cast<uint32_t>(limits::kMaxMilterPacket + 1)));
    auto bad = over.next();
    REQUIRE_FALSE(bad);
    CHECK(bad.error().code == mw::ErrorCode::TooLong);
}

TEST_CASE("commands: connect, helo, mail, macros round-trip", "[milter]") {
    ConnectInfo c{"mx.example.org", ConnectInfo::Family::Inet6, "2001:db8::1", 2525};
    Packet p = unframe(encode_connect(c));
    REQUIRE(p.command == 'C');
    auto back = decode_connect(p.payload);
    REQUIRE(back);
    CHECK(back->host_name == "mx.example.org");
    CHECK(back->family == ConnectInfo::Family::Inet6);
    CHECK(back->address == "2001:db8::1");
    CHECK(back->port == 2525);
    // Port in network byte order right after the family byte.
    CHECK(p.payload.substr(15, 3) == std::string("6\x09\xdd", 3));

    auto unknown = decode_connect(unframe(encode_connect({"unknown", ConnectInfo::Family::Unknown, "", 0})).payload);
    REQUIRE(unknown);
    CHECK(unknown->family == ConnectInfo::Family::Unknown);

    p = unframe(encode_args('M', {"<a@example.org>", "SIZE=100"}));
    CHECK(p.payload == std::string("<a@example.org>\0SIZE=100\0", 25));

    p = unframe(encode_macros('C', {{"j", "mx"}, {"daemon_name", "ORIGINATING"}}));
    REQUIRE(p.command == 'D');
    CHECK(p.payload == std::string("Cj\0mx\0{daemon_name}\0ORIGINATING\0", 32));
    auto m = decode_macros(p.payload);
    REQUIRE(m);
    REQUIRE(m->size() == 2);
    CHECK((*m)[1].first == "daemon_name");
    CHECK((*m)[1].second == "ORIGINATING");
}

TEST_CASE("commands: bad connect and macro packets are errors", "[milter]") {
    CHECK_FALSE(decode_connect(""));
    CHECK_FALSE(decode_connect(std::string("host\0", 5)));
    CHECK_FALSE(decode_connect(std::string("host\0X\0\0addr\0", 13)));      // unknown family
    CHECK_FALSE(decode_connect(std::string("host\0" "4\0\0addr", 12)));      // no NUL
    CHECK_FALSE(decode_macros(""));
    CHECK_FALSE(decode_macros(std::string("Cj\0", 3)));                      // name without value
    CHECK_FALSE(decode_strings(std::string("abc", 3)));
}

TEST_CASE("decode_strings: at most kMaxMilterStrings", "[milter]") {
    std::string at;
    for (std::size_t i = 0; i < limits::kMaxMilterStrings; ++i) at += std::string("x\0", 2);
    auto ok = decode_strings(at);
    REQUIRE(ok);
    CHECK(ok->size() == limits::kMaxMilterStrings);
    auto over = decode_strings(at + std::string("x\0", 2));
    REQUIRE_FALSE(over);
    CHECK(over.error().code == mw::ErrorCode::TooLong);
}

TEST_CASE("option negotiation reply with macro lists round-trips", "[milter]") {
    OptNeg o;
    o.version = 6;
    o.actions = wire::kActAddHeaders | wire::kActSetSymList;
    o.protocol = wire::kNoReplyHeader | wire::kSkipFlag;
    o.macros[0] = std::vector<std::string>{"j", "client_addr"};
    o.macros[5] = std::vector<std::string>{"i"};
    auto back = decode_optneg(unframe(encode_optneg_reply(o)));
    REQUIRE(back);
    CHECK(back->version == 6);
    CHECK(back->actions == o.actions);
    CHECK(back->protocol == o.protocol);
    REQUIRE(back->macros[0]);
    CHECK(*back->macros[0] == std::vector<std::string>{"j", "client_addr"});
    CHECK_FALSE(back->macros[1]);
    CHECK(*back->macros[5] == std::vector<std::string>{"i"});
}

TEST_CASE("option negotiation: short, bad stage, repeated stage", "[milter]") {
    CHECK_FALSE(decode_optneg({'O', std::string(11, '\0')}));
    CHECK_FALSE(decode_optneg({'c', std::string(12, '\0')}));
    const std::string base = u32(6) + u32(0) + u32(0);
    CHECK(decode_optneg({'O', base}));
    CHECK_FALSE(decode_optneg({'O', base + u32(7) + std::string("i\0", 2)}));
    CHECK_FALSE(decode_optneg({'O', base + u32(1) + std::string("i", 1)}));
    CHECK_FALSE(decode_optneg({'O', base + u32(1) + std::string("i\0", 2) + u32(1) + std::string("j\0", 2)}));
}

TEST_CASE("replies: every kind round-trips", "[milter]") {
    using K = Response::Kind;
    for (K k : {K::Continue, K::Accept, K::Reject, K::Tempfail, K::Discard, K::Skip, K::Progress}) {
        Response r;
        r.kind = k;
        CHECK(round_trip(r).kind == k);
    }
    Response add{K::AddHeader, "X-Test", "a\n\tb", "", 0};
    auto a = round_trip(add);
    CHECK(a.name == "X-Test");
    CHECK(a.value == "a\n\tb");
    Response ins{K::InsertHeader, "X-First", "v", "", 0};
    CHECK(round_trip(ins).index == 0);
    Response chg{K::ChangeHeader, "Subject", "", "", 2};
    auto c = round_trip(chg);
    CHECK(c.index == 2);
    CHECK(c.value.empty());
    Response code{K::ReplyCode, "", "", "550 5.7.1 go away", 0};
    CHECK(round_trip(code).text == "550 5.7.1 go away");
    Response body{K::ReplaceBody, "", "", std::string("x\0y", 3), 0};
    CHECK(round_trip(body).text == std::string("x\0y", 3));
    Response q{K::Quarantine, "", "", "spam", 0};
    CHECK(round_trip(q).text == "spam");
    Response from{K::ChangeFrom, "<b@example.org>", "SIZE=1", "", 0};
    auto f = round_trip(from);
    CHECK(f.name == "<b@example.org>");
    CHECK(f.value == "SIZE=1");
    Response rcpt{K::AddRcpt, "<c@example.org>", "", "", 0};
    CHECK(round_trip(rcpt).name == "<c@example.org>");
    Response rcpt_par{K::AddRcpt, "<c@example.org>", "NOTIFY=NEVER", "", 0};
    CHECK(unframe(encode_response(rcpt_par)).command == '2');
    CHECK(round_trip(rcpt_par).value == "NOTIFY=NEVER");
    Response del{K::DelRcpt, "<d@example.org>", "", "", 0};
    CHECK(round_trip(del).name == "<d@example.org>");
}

TEST_CASE("replies: malformed ones are errors", "[milter]") {
    CHECK_FALSE(decode_response({'c', "x"}));                                   // data on continue
    CHECK_FALSE(decode_response({'y', std::string("250 ok\0", 7)}));            // not 4xx/5xx
    CHECK_FALSE(decode_response({'y', std::string("55 x\0", 5)}));
    CHECK_FALSE(decode_response({'y', std::string("550x\0", 5)}));
    CHECK_FALSE(decode_response({'y', "550 no nul"}));
    CHECK_FALSE(decode_response({'y', std::string("550 a\0b\0", 8)}));          // two strings
    CHECK(decode_response({'y', std::string("421\0", 4)}));
    CHECK_FALSE(decode_response({'h', std::string("X-A\0", 4)}));               // no value
    CHECK_FALSE(decode_response({'h', std::string("X A\0v\0", 6)}));            // space in name
    CHECK_FALSE(decode_response({'h', std::string("X:A\0v\0", 6)}));
    CHECK_FALSE(decode_response({'h', std::string("\0v\0", 3)}));               // empty name
    CHECK_FALSE(decode_response({'i', std::string("\0\0\0", 3)}));              // short index
    CHECK_FALSE(decode_response({'m', std::string("\0\0\0\1X\0", 6)}));
    CHECK_FALSE(decode_response({'+', std::string("\0", 1)}));                  // empty address
    CHECK_FALSE(decode_response({'+', std::string("a\0b\0", 4)}));              // args need '2'
    CHECK_FALSE(decode_response({'Z', ""}));
    CHECK_FALSE(decode_response({'l', ""}));
}

TEST_CASE("valid_header_name: at 998 bytes and one past", "[milter]") {
    CHECK(valid_header_name(std::string(998, 'X')));
    CHECK_FALSE(valid_header_name(std::string(999, 'X')));
}
