#include "common/dns/rdata_decoder.hpp"

#include <array>
#include <cstdint>

#include "common/base/limits.hpp"

namespace mw::dns {

namespace {

// RFC 1035 §3.1: a name is at most 255 octets on the wire.
constexpr std::size_t kMaxWireName = 255;

uint8_t byte_at(std::string_view data, std::size_t pos) { return static_cast<uint8_t>(data[pos]); }

bool is_label_byte(uint8_t c) { return c > 0x20 && c < 0x7f && c != '.'; }

char lower(uint8_t c) { return static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c); }

Result<void> append_label(std::string_view label, std::string& out) {
    if (!out.empty()) out += '.';
    for (char ch : label) {
        auto c = static_cast<uint8_t>(ch);
        if (!is_label_byte(c))
            return fail(ErrorCode::Invalid, "name label has a byte outside printable ASCII");
        out += lower(c);
    }
    if (out.size() > limits::kMaxDnsName)
        return fail(ErrorCode::TooLong,
                    "name longer than " + std::to_string(limits::kMaxDnsName) + " characters");
    return {};
}

// Reads one uncompressed name starting at `pos`; leaves `pos` after it. Each pass consumes at
// least one byte, so the loop ends with the data.
Result<std::string> read_name(std::string_view data, std::size_t& pos) {
    std::string out;
    std::size_t wire = 1;  // the final zero octet
    while (true) {
        if (pos >= data.size())
            return fail(ErrorCode::Invalid, "name runs past the end of the record");
        uint8_t len = byte_at(data, pos++);
        if (len == 0) return out;
        if ((len & 0xc0) == 0xc0) return fail(ErrorCode::Invalid, "compressed name in RDATA");
        if (len > limits::kMaxDnsLabel)
            return fail(ErrorCode::Invalid, "label longer than 63 octets");
        if (len > data.size() - pos)
            return fail(ErrorCode::Invalid, "label runs past the end of the record");
        wire += len + 1u;
        if (wire > kMaxWireName) return fail(ErrorCode::TooLong, "name longer than 255 octets");
        if (auto ok = append_label(data.substr(pos, len), out); !ok) return fail(ok.error());
        pos += len;
    }
}

Result<std::string> read_whole_name(std::string_view data, std::size_t pos) {
    auto name = read_name(data, pos);
    if (name && pos != data.size()) return fail(ErrorCode::Invalid, "bytes after the name");
    return name;
}

template <std::size_t N>
Result<Rdata> decode_address(std::string_view data) {
    if (data.size() != N) return fail(ErrorCode::Invalid, "address of wrong length");
    std::array<uint8_t, N> b{};
    for (std::size_t i = 0; i < N; ++i) b[i] = byte_at(data, i);
    if constexpr (N == 4)
        return net::IpAddress::v4(b);
    else
        return net::IpAddress::v6(b);
}

Result<Rdata> decode_name(std::string_view data) {
    auto name = read_whole_name(data, 0);
    if (!name) return fail(name.error());
    return DomainName{std::move(*name)};
}

// RFC 1035 §3.3.9: 16-bit preference, then the exchange name.
Result<Rdata> decode_mx(std::string_view data) {
    if (data.size() < 3) return fail(ErrorCode::Invalid, "MX record too short");
    auto pref = static_cast<uint16_t>(byte_at(data, 0) << 8 | byte_at(data, 1));
    auto name = read_whole_name(data, 2);
    if (!name) return fail(name.error());
    return MxRecord{pref, std::move(*name)};
}

// RFC 1035 §3.3.14: one or more <character-string>s, each a length octet and that many bytes.
Result<Rdata> decode_txt(std::string_view data) {
    if (data.empty()) return fail(ErrorCode::Invalid, "TXT record without a string");
    std::string text;
    std::size_t pos = 0;
    while (pos < data.size()) {
        std::size_t len = byte_at(data, pos++);
        if (len > data.size() - pos)
            return fail(ErrorCode::Invalid, "TXT string runs past the end of the record");
        if (text.size() + len > limits::kMaxTxtRecord)
            return fail(ErrorCode::TooLong, "TXT record longer than " +
                                                std::to_string(limits::kMaxTxtRecord) + " bytes");
        text.append(data.substr(pos, len));
        pos += len;
    }
    return TextRecord{std::move(text)};
}

struct AddToAnswer {
    Answer& out;
    void operator()(net::IpAddress a) const { out.addresses.push_back(a); }
    void operator()(DomainName n) const { out.names.push_back(std::move(n.value)); }
    void operator()(MxRecord m) const { out.mx.push_back(std::move(m)); }
    void operator()(TextRecord t) const { out.texts.push_back(std::move(t.value)); }
};

void note(Answer& out, const std::string& text) {
    if (!out.why.empty()) out.why += "; ";
    out.why += text;
}

}  // namespace

Result<Rdata> decode_rdata(RrType type, std::string_view rdata) {
    switch (type) {
        case RrType::A:
            return decode_address<4>(rdata);
        case RrType::AAAA:
            return decode_address<16>(rdata);
        case RrType::PTR:
        case RrType::NS:
        case RrType::CNAME:
            return decode_name(rdata);
        case RrType::MX:
            return decode_mx(rdata);
        case RrType::TXT:
        case RrType::SPF:
            return decode_txt(rdata);
        case RrType::SOA:
            break;
    }
    return fail(ErrorCode::Unsupported,
                std::string("RR type ") + to_string(type) + " is not decoded");
}

void add_records(RrType type, const std::vector<std::string_view>& rdatas, Answer& out) {
    std::size_t bad = 0;
    std::string first_error;
    for (std::string_view rdata : rdatas) {
        if (out.size() >= limits::kMaxDnsRecords) {
            note(out, "more than " + std::to_string(limits::kMaxDnsRecords) +
                          " records, the rest ignored");
            break;
        }
        auto value = decode_rdata(type, rdata);
        if (!value) {
            if (bad++ == 0) first_error = value.error().message;
            continue;
        }
        std::visit(AddToAnswer{out}, std::move(*value));
    }
    if (bad == 0) return;
    out.malformed += bad;
    note(out, "skipped " + std::to_string(bad) + " malformed " + to_string(type) +
                  " record(s): " + first_error);
    if (out.size() == 0) out.rcode = Rcode::ServFail;
}

}  // namespace mw::dns
