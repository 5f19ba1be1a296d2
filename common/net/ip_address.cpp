#include "common/net/ip_address.hpp"

#include <arpa/inet.h>

#include <fmt/format.h>

namespace mw::net {

IpAddress IpAddress::v4(std::array<uint8_t, 4> b) {
    IpAddress a;
    a.family_ = Family::V4;
    std::copy(b.begin(), b.end(), a.bytes_.begin());
    return a;
}

IpAddress IpAddress::v6(std::array<uint8_t, 16> b) {
    IpAddress a;
    a.family_ = Family::V6;
    a.bytes_ = b;
    return a;
}

std::optional<IpAddress> IpAddress::parse(std::string_view text) {
    if (text.empty() || text.size() > 45) return std::nullopt;
    const std::string s(text);  // inet_pton needs a NUL-terminated string
    std::array<uint8_t, 16> buf{};
    if (s.find(':') == std::string::npos) {
        if (inet_pton(AF_INET, s.c_str(), buf.data()) != 1) return std::nullopt;
        return v4({buf[0], buf[1], buf[2], buf[3]});
    }
    if (inet_pton(AF_INET6, s.c_str(), buf.data()) != 1) return std::nullopt;
    return v6(buf);
}

bool IpAddress::is_v4_mapped() const {
    if (!is_v6()) return false;
    for (int i = 0; i < 10; ++i)
        if (bytes_[i] != 0) return false;
    return bytes_[10] == 0xff && bytes_[11] == 0xff;
}

IpAddress IpAddress::unmapped() const {
    if (!is_v4_mapped()) return *this;
    return v4({bytes_[12], bytes_[13], bytes_[14], bytes_[15]});
}

std::string IpAddress::to_string() const {
    char buf[INET6_ADDRSTRLEN];
    inet_ntop(is_v4() ? AF_INET : AF_INET6, bytes_.data(), buf, sizeof buf);
    return buf;
}

std::string IpAddress::to_dotted() const {
    if (is_v4()) return to_string();
    std::string out;
    out.reserve(63);
    for (int i = 0; i < 16; ++i) {
        if (i) out += '.';
        out += fmt::format("{:x}.{:x}", bytes_[i] >> 4, bytes_[i] & 0xf);
    }
    return out;
}

std::string IpAddress::reverse_name() const {
    if (is_v4()) return fmt::format("{}.{}.{}.{}", bytes_[3], bytes_[2], bytes_[1], bytes_[0]);
    std::string out;
    out.reserve(63);
    for (int i = 15; i >= 0; --i) {
        if (i != 15) out += '.';
        out += fmt::format("{:x}.{:x}", bytes_[i] & 0xf, bytes_[i] >> 4);
    }
    return out;
}

bool IpAddress::matches_prefix(const IpAddress& other, int prefix) const {
    if (family_ != other.family_ || prefix < 0 || prefix > bit_width()) return false;
    const int full = prefix / 8;
    for (int i = 0; i < full; ++i)
        if (bytes_[i] != other.bytes_[i]) return false;
    const int rest = prefix % 8;
    if (rest == 0) return true;
    const uint8_t mask = static_cast<uint8_t>(0xff << (8 - rest));
    return (bytes_[full] & mask) == (other.bytes_[full] & mask);
}

}  // namespace mw::net
