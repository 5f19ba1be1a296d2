#include "tests/support/txt_reply_packet.hpp"

#include <cstdint>

namespace mw::test {
namespace {

constexpr std::size_t kMaxLabel = 63;        // RFC 1035 §2.3.4
constexpr std::size_t kMaxName = 255;
constexpr std::size_t kMaxCharString = 255;  // one <character-string>
constexpr std::size_t kMaxRdata = 65535;
constexpr std::uint16_t kTypeTxt = 16;
constexpr std::uint16_t kClassIn = 1;
constexpr std::uint16_t kQuestionPointer = 0xC00C;  // the question name right after the header
constexpr std::uint8_t kRcodeNxDomain = 3;

void put16(std::string& out, std::uint32_t v) {
    out.push_back(static_cast<char>((v >> 8) & 0xFF));
    out.push_back(static_cast<char>(v & 0xFF));
}

void put32(std::string& out, std::uint32_t v) {
    put16(out, v >> 16);
    put16(out, v & 0xFFFF);
}

Result<std::string> encode_name(std::string_view name) {
    if (!name.empty() && name.back() == '.') name.remove_suffix(1);
    std::string out;
    while (!name.empty()) {
        const auto dot = name.find('.');
        const auto label = name.substr(0, dot);
        if (label.empty() || label.size() > kMaxLabel) return fail(ErrorCode::Invalid, "bad label in query name");
        out.push_back(static_cast<char>(label.size()));
        out.append(label);
        name.remove_prefix(dot == std::string_view::npos ? name.size() : dot + 1);
    }
    out.push_back('\0');
    if (out.size() > kMaxName) return fail(ErrorCode::Invalid, "query name too long");
    return out;
}

Result<std::string> txt_rdata(std::string_view text) {
    std::string rdata;
    do {  // an empty text is one empty character-string
        const auto chunk = text.substr(0, kMaxCharString);
        rdata.push_back(static_cast<char>(chunk.size()));
        rdata.append(chunk);
        text.remove_prefix(chunk.size());
    } while (!text.empty());
    if (rdata.size() > kMaxRdata) return fail(ErrorCode::TooLong, "TXT record over 65535 bytes");
    return rdata;
}

void put_header(std::string& out, std::uint8_t rcode, std::size_t answers) {
    put16(out, 0);                  // id: the caller matched the query already
    out.push_back('\x81');          // QR, RD
    out.push_back(static_cast<char>(0x80 | rcode));  // RA
    put16(out, 1);
    put16(out, static_cast<std::uint32_t>(answers));
    put16(out, 0);
    put16(out, 0);
}

}  // namespace

Result<std::string> encode_txt_reply(std::string_view qname, const dns::Answer& answer,
                                     std::size_t max_bytes) {
    if (answer.rcode != dns::Rcode::NoError && answer.rcode != dns::Rcode::NxDomain)
        return fail(ErrorCode::Invalid, "no wire form for a failed answer");
    auto name = encode_name(qname);
    if (!name) return fail(name.error());
    const bool nx = answer.rcode == dns::Rcode::NxDomain;
    std::string out;
    put_header(out, nx ? kRcodeNxDomain : 0, nx ? 0 : answer.texts.size());
    out += *name;
    put16(out, kTypeTxt);
    put16(out, kClassIn);
    for (const auto& text : nx ? std::vector<std::string>{} : answer.texts) {
        auto rdata = txt_rdata(text);
        if (!rdata) return fail(rdata.error());
        put16(out, kQuestionPointer);
        put16(out, kTypeTxt);
        put16(out, kClassIn);
        put32(out, answer.ttl);
        put16(out, static_cast<std::uint32_t>(rdata->size()));
        out += *rdata;
    }
    if (out.size() > max_bytes) return fail(ErrorCode::TooLong, "reply larger than the buffer");
    return out;
}

}  // namespace mw::test
