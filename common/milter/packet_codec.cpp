#include "common/milter/packet_codec.hpp"

#include <fmt/format.h>

#include "common/base/list_split.hpp"

namespace mw::milter {

namespace {

void put_u32(std::string& out, uint32_t v) {
    out.push_back(static_cast<char>((v >> 24) & 0xff));
    out.push_back(static_cast<char>((v >> 16) & 0xff));
    out.push_back(static_cast<char>((v >> 8) & 0xff));
    out.push_back(static_cast<char>(v & 0xff));
}

uint32_t get_u32(std::string_view s) {
    auto b = [&](std::size_t i) { return static_cast<uint32_t>(static_cast<unsigned char>(s[i])); };
    return (b(0) << 24) | (b(1) << 16) | (b(2) << 8) | b(3);
}

void put_string(std::string& out, std::string_view s) {
    out.append(s);
    out.push_back('\0');
}

tl::unexpected<Error> bad(std::string what) {
    return fail(ErrorCode::Invalid, "milter protocol: " + std::move(what));
}

Result<std::vector<std::string>> strings_exactly(std::string_view payload, std::size_t min,
                                                 std::size_t max, char cmd) {
    auto s = decode_strings(payload);
    if (!s) return s;
    if (s->size() < min || s->size() > max)
        return bad(fmt::format("reply '{}' has {} strings", cmd, s->size()));
    return s;
}

Result<Response> simple(Response::Kind kind, const Packet& p) {
    if (!p.payload.empty()) return bad(fmt::format("reply '{}' carries unexpected data", p.command));
    Response r;
    r.kind = kind;
    return r;
}

Result<Response> header_reply(Response::Kind kind, const Packet& p, bool indexed) {
    std::string_view rest = p.payload;
    Response r;
    r.kind = kind;
    if (indexed) {
        if (rest.size() < 4) return bad("header reply without index");
        r.index = get_u32(rest);
        rest.remove_prefix(4);
    }
    auto s = strings_exactly(rest, 2, 2, p.command);
    if (!s) return fail(s.error());
    if (!valid_header_name((*s)[0])) return bad("bad header name in reply");
    r.name = std::move((*s)[0]);
    r.value = std::move((*s)[1]);
    return r;
}

Result<Response> address_reply(Response::Kind kind, const Packet& p, std::size_t max_strings) {
    auto s = strings_exactly(p.payload, 1, max_strings, p.command);
    if (!s) return fail(s.error());
    if ((*s)[0].empty()) return bad("empty address in reply");
    Response r;
    r.kind = kind;
    r.name = std::move((*s)[0]);
    if (s->size() > 1) r.value = std::move((*s)[1]);
    return r;
}

Result<Response> text_reply(Response::Kind kind, const Packet& p) {
    auto s = strings_exactly(p.payload, 1, 1, p.command);
    if (!s) return fail(s.error());
    Response r;
    r.kind = kind;
    r.text = std::move((*s)[0]);
    if (kind == Response::Kind::ReplyCode && !valid_reply_code(r.text))
        return bad("bad SMTP reply code in reply");
    return r;
}

}  // namespace

std::string encode_packet(char command, std::string_view payload) {
    std::string out;
    out.reserve(payload.size() + 5);
    put_u32(out, static_cast<uint32_t>(payload.size() + 1));
    out.push_back(command);
    out.append(payload);
    return out;
}

Result<std::optional<Packet>> PacketReader::next() {
    if (buffer_.size() < 4) return std::optional<Packet>();
    const uint32_t len = get_u32(buffer_);
    if (len == 0) return bad("packet of length 0");
    if (len > max_) return fail(ErrorCode::TooLong, fmt::format("milter protocol: packet of {} bytes", len));
    if (buffer_.size() < 4 + static_cast<std::size_t>(len)) return std::optional<Packet>();
    Packet p{buffer_[4], buffer_.substr(5, len - 1)};
    buffer_.erase(0, 4 + static_cast<std::size_t>(len));
    return std::optional<Packet>(std::move(p));
}

// ---- commands ---------------------------------------------------------------------------

std::string encode_optneg(uint32_t version, uint32_t actions, uint32_t protocol) {
    std::string payload;
    put_u32(payload, version);
    put_u32(payload, actions);
    put_u32(payload, protocol);
    return encode_packet(wire::kOptNeg, payload);
}

std::string encode_macros(char stage, const MacroList& macros) {
    std::string payload(1, stage);
    for (const auto& [name, value] : macros) {
        put_string(payload, Macros::wire_name(name));
        put_string(payload, value);
    }
    return encode_packet(wire::kMacro, payload);
}

std::string encode_connect(const ConnectInfo& c) {
    std::string payload;
    put_string(payload, c.host_name);
    switch (c.family) {
        case ConnectInfo::Family::Unknown: payload.push_back(wire::kFamilyUnknown); break;
        case ConnectInfo::Family::Inet4: payload.push_back(wire::kFamilyInet); break;
        case ConnectInfo::Family::Inet6: payload.push_back(wire::kFamilyInet6); break;
        case ConnectInfo::Family::Unix: payload.push_back(wire::kFamilyUnix); break;
    }
    if (c.family != ConnectInfo::Family::Unknown) {
        payload.push_back(static_cast<char>(c.port >> 8));   // network byte order
        payload.push_back(static_cast<char>(c.port & 0xff));
        put_string(payload, c.address);
    }
    return encode_packet(wire::kConnect, payload);
}

std::string encode_helo(std::string_view helo) {
    std::string payload;
    put_string(payload, helo);
    return encode_packet(wire::kHelo, payload);
}

std::string encode_args(char command, const std::vector<std::string>& args) {
    std::string payload;
    for (const auto& a : args) put_string(payload, a);
    return encode_packet(command, payload);
}

std::string encode_header(std::string_view name, std::string_view value) {
    std::string payload;
    put_string(payload, name);
    put_string(payload, value);
    return encode_packet(wire::kHeader, payload);
}

std::string encode_body(std::string_view chunk) { return encode_packet(wire::kBody, chunk); }

std::string encode_empty(char command) { return encode_packet(command, {}); }

Result<std::vector<std::string>> decode_strings(std::string_view payload) {
    std::vector<std::string> out;
    if (payload.empty()) return out;
    if (payload.back() != '\0') return bad("string without its terminating NUL");
    while (!payload.empty()) {
        if (out.size() == limits::kMaxMilterStrings)
            return fail(ErrorCode::TooLong, "milter protocol: too many strings in one packet");
        const auto nul = payload.find('\0');
        out.emplace_back(payload.substr(0, nul));
        payload.remove_prefix(nul + 1);
    }
    return out;
}

Result<MacroList> decode_macros(std::string_view payload) {
    if (payload.empty()) return bad("macro packet without stage");
    auto s = decode_strings(payload.substr(1));
    if (!s) return fail(s.error());
    if (s->size() % 2 != 0) return bad("macro name without value");
    MacroList out;
    for (std::size_t i = 0; i < s->size(); i += 2)
        out.emplace_back(std::string(Macros::bare_name((*s)[i])), std::move((*s)[i + 1]));
    return out;
}

Result<ConnectInfo> decode_connect(std::string_view payload) {
    ConnectInfo c;
    const auto nul = payload.find('\0');
    if (nul == std::string_view::npos || nul + 1 >= payload.size()) return bad("short connect packet");
    c.host_name = std::string(payload.substr(0, nul));
    const char family = payload[nul + 1];
    std::string_view rest = payload.substr(nul + 2);
    if (family == wire::kFamilyUnknown) return c;
    if (family == wire::kFamilyInet) c.family = ConnectInfo::Family::Inet4;
    else if (family == wire::kFamilyInet6) c.family = ConnectInfo::Family::Inet6;
    else if (family == wire::kFamilyUnix) c.family = ConnectInfo::Family::Unix;
    else return bad("unknown address family in connect packet");
    if (rest.size() < 3 || rest.back() != '\0') return bad("short connect packet");
    c.port = static_cast<uint16_t>((static_cast<unsigned char>(rest[0]) << 8) |
                                   static_cast<unsigned char>(rest[1]));
    rest.remove_prefix(2);
    rest.remove_suffix(1);
    if (rest.find('\0') != std::string_view::npos) return bad("NUL inside connect address");
    c.address = std::string(rest);
    return c;
}

// ---- replies ----------------------------------------------------------------------------

std::string encode_optneg_reply(const OptNeg& o) {
    std::string payload;
    put_u32(payload, o.version);
    put_u32(payload, o.actions);
    put_u32(payload, o.protocol);
    for (uint32_t stage = 0; stage < o.macros.size(); ++stage) {
        if (!o.macros[stage]) continue;
        put_u32(payload, stage);
        std::string list;
        for (const auto& m : *o.macros[stage]) list += (list.empty() ? "" : " ") + Macros::wire_name(m);
        put_string(payload, list);
    }
    return encode_packet(wire::kOptNeg, payload);
}

Result<OptNeg> decode_optneg(const Packet& p) {
    if (p.command != wire::kOptNeg) return bad(fmt::format("expected option negotiation, got '{}'", p.command));
    std::string_view rest = p.payload;
    if (rest.size() < wire::kOptNegLength) return bad("short option negotiation");
    OptNeg o{get_u32(rest), get_u32(rest.substr(4)), get_u32(rest.substr(8)), {}};
    rest.remove_prefix(wire::kOptNegLength);
    while (!rest.empty()) {   // symbol lists: stage number, then "name name ..." NUL
        if (rest.size() < 5) return bad("short macro list in option negotiation");
        const uint32_t stage = get_u32(rest);
        rest.remove_prefix(4);
        const auto nul = rest.find('\0');
        if (nul == std::string_view::npos) return bad("macro list without NUL");
        if (stage >= static_cast<uint32_t>(wire::kMacroStages) || o.macros[stage])
            return bad("bad or repeated macro stage in option negotiation");
        std::vector<std::string> names;
        for (auto n : split_list(rest.substr(0, nul))) {
            if (names.size() == limits::kMaxMilterStrings) return fail(ErrorCode::TooLong, "too many macros");
            names.emplace_back(Macros::bare_name(n));
        }
        o.macros[stage] = std::move(names);
        rest.remove_prefix(nul + 1);
    }
    return o;
}

bool Response::is_final() const {
    switch (kind) {
        case Kind::Continue: case Kind::Accept: case Kind::Reject: case Kind::Tempfail:
        case Kind::Discard: case Kind::ReplyCode: case Kind::Skip: case Kind::ConnFail:
        case Kind::Shutdown:
            return true;
        default:
            return false;
    }
}

bool valid_reply_code(std::string_view t) {
    if (t.size() < 3 || (t[0] != '4' && t[0] != '5')) return false;
    if (t[1] < '0' || t[1] > '9' || t[2] < '0' || t[2] > '9') return false;
    return t.size() == 3 || t[3] == ' ' || t[3] == '-';
}

bool valid_header_name(std::string_view name) {
    if (name.empty() || name.size() > 998) return false;
    for (char ch : name) {
        const auto c = static_cast<unsigned char>(ch);
        if (c < 33 || c > 126 || c == ':') return false;
    }
    return true;
}

namespace {

struct KindCode {
    Response::Kind kind;
    char code;
};

constexpr KindCode kKindCodes[] = {
    {Response::Kind::Continue, wire::kContinue}, {Response::Kind::Accept, wire::kAccept},
    {Response::Kind::Reject, wire::kReject}, {Response::Kind::Tempfail, wire::kTempfail},
    {Response::Kind::Discard, wire::kDiscard}, {Response::Kind::ReplyCode, wire::kReplyCode},
    {Response::Kind::Skip, wire::kSkip}, {Response::Kind::Progress, wire::kProgress},
    {Response::Kind::ConnFail, wire::kConnFail}, {Response::Kind::Shutdown, wire::kShutdown},
    {Response::Kind::AddHeader, wire::kAddHeader}, {Response::Kind::InsertHeader, wire::kInsHeader},
    {Response::Kind::ChangeHeader, wire::kChgHeader}, {Response::Kind::ReplaceBody, wire::kReplBody},
    {Response::Kind::Quarantine, wire::kQuarantine}, {Response::Kind::ChangeFrom, wire::kChgFrom},
    {Response::Kind::AddRcpt, wire::kAddRcpt}, {Response::Kind::DelRcpt, wire::kDelRcpt},
};

char code_of(Response::Kind k) {
    for (const auto& kc : kKindCodes)
        if (kc.kind == k) return kc.code;
    return wire::kContinue;
}

}  // namespace

std::string encode_response(const Response& r) {
    using K = Response::Kind;
    std::string payload;
    switch (r.kind) {
        case K::ReplyCode: case K::Quarantine: put_string(payload, r.text); break;
        case K::ReplaceBody: payload = r.text; break;
        case K::InsertHeader: case K::ChangeHeader: put_u32(payload, r.index); [[fallthrough]];
        case K::AddHeader: put_string(payload, r.name); put_string(payload, r.value); break;
        case K::ChangeFrom: case K::AddRcpt:
            put_string(payload, r.name);
            if (!r.value.empty()) put_string(payload, r.value);
            break;
        case K::DelRcpt: put_string(payload, r.name); break;
        default: break;
    }
    const bool par = r.kind == K::AddRcpt && !r.value.empty();
    return encode_packet(par ? wire::kAddRcptPar : code_of(r.kind), payload);
}

Result<Response> decode_response(const Packet& p) {
    using K = Response::Kind;
    switch (p.command) {
        case wire::kContinue: return simple(K::Continue, p);
        case wire::kAccept: return simple(K::Accept, p);
        case wire::kReject: return simple(K::Reject, p);
        case wire::kTempfail: return simple(K::Tempfail, p);
        case wire::kDiscard: return simple(K::Discard, p);
        case wire::kSkip: return simple(K::Skip, p);
        case wire::kProgress: return simple(K::Progress, p);
        case wire::kConnFail: return simple(K::ConnFail, p);
        case wire::kShutdown: return simple(K::Shutdown, p);
        case wire::kReplyCode: return text_reply(K::ReplyCode, p);
        case wire::kQuarantine: return text_reply(K::Quarantine, p);
        case wire::kAddHeader: return header_reply(K::AddHeader, p, false);
        case wire::kInsHeader: return header_reply(K::InsertHeader, p, true);
        case wire::kChgHeader: return header_reply(K::ChangeHeader, p, true);
        case wire::kChgFrom: return address_reply(K::ChangeFrom, p, 2);
        case wire::kAddRcpt: return address_reply(K::AddRcpt, p, 1);
        case wire::kAddRcptPar: return address_reply(K::AddRcpt, p, 2);
        case wire::kDelRcpt: return address_reply(K::DelRcpt, p, 1);
        case wire::kReplBody: {
            Response r;
            r.kind = K::ReplaceBody;
            r.text = p.payload;
            return r;
        }
        default: break;
    }
    return bad(fmt::format("unknown reply code 0x{:02x}", static_cast<unsigned char>(p.command)));
}

}  // namespace mw::milter
