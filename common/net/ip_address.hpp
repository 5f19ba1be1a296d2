// IPv4 and IPv6 addresses, parsed and formatted without the resolver (inet_pton/inet_ntop only).
// IPv4-mapped IPv6 (::ffff:a.b.c.d) can be unmapped so that one client has one identity.
// Pure; thread-compatible.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace mw::net {

class IpAddress {
public:
    enum class Family { V4, V6 };

    IpAddress() = default;
    static IpAddress v4(std::array<uint8_t, 4> b);
    static IpAddress v6(std::array<uint8_t, 16> b);

    /// Parses "192.0.2.1" or "2001:db8::1" (no brackets, no zone id, no CIDR).
    static std::optional<IpAddress> parse(std::string_view text);

    Family family() const { return family_; }
    bool is_v4() const { return family_ == Family::V4; }
    bool is_v6() const { return family_ == Family::V6; }
    /// 4 or 16 bytes, network order.
    const uint8_t* bytes() const { return bytes_.data(); }
    std::size_t size() const { return is_v4() ? 4 : 16; }
    int bit_width() const { return is_v4() ? 32 : 128; }

    bool is_v4_mapped() const;
    /// For ::ffff:a.b.c.d the IPv4 address a.b.c.d; otherwise *this.
    IpAddress unmapped() const;

    /// Canonical text: dotted quad, or RFC 5952 IPv6.
    std::string to_string() const;
    /// RFC 7208 %{i}: dotted quad, or 32 dot-separated nibbles for IPv6.
    std::string to_dotted() const;
    /// RFC 5782 reverse form without the zone: "1.2.0.192" / nibbles reversed.
    std::string reverse_name() const;

    /// True when the first `prefix` bits of both addresses (same family) are equal.
    bool matches_prefix(const IpAddress& other, int prefix) const;

    friend bool operator==(const IpAddress&, const IpAddress&) = default;
    friend auto operator<=>(const IpAddress&, const IpAddress&) = default;

private:
    Family family_ = Family::V4;
    std::array<uint8_t, 16> bytes_{};
};

}  // namespace mw::net
