#include "common/net/cidr.hpp"

#include <charconv>

#include <fmt/format.h>

#include "common/base/list_split.hpp"

namespace mw::net {

namespace {

std::optional<int> parse_prefix(std::string_view s, int max) {
    int v = -1;
    if (s.empty() || s.size() > 3) return std::nullopt;
    auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec != std::errc() || p != s.data() + s.size() || v < 0 || v > max) return std::nullopt;
    return v;
}

bool host_bits_clear(const IpAddress& ip, int prefix) {
    const uint8_t* b = ip.bytes();
    for (int bit = prefix; bit < ip.bit_width(); ++bit)
        if (b[bit / 8] & (0x80 >> (bit % 8))) return false;
    return true;
}

}  // namespace

Result<Cidr> Cidr::parse(std::string_view text) {
    const auto slash = text.find('/');
    const auto addr_text = text.substr(0, slash);
    auto ip = IpAddress::parse(addr_text);
    if (!ip) return fail(ErrorCode::Invalid, fmt::format("bad address '{}'", text));
    int prefix = ip->bit_width();
    if (slash != std::string_view::npos) {
        auto p = parse_prefix(text.substr(slash + 1), ip->bit_width());
        if (!p) return fail(ErrorCode::Invalid, fmt::format("bad prefix length in '{}'", text));
        prefix = *p;
    }
    if (!host_bits_clear(*ip, prefix))
        return fail(ErrorCode::Invalid,
                    fmt::format("'{}': address has bits set beyond the prefix length", text));
    return Cidr{*ip, prefix};
}

bool Cidr::contains(const IpAddress& ip) const {
    if (network.family() == ip.family()) return network.matches_prefix(ip, prefix);
    // An IPv4 block matches a v4-mapped IPv6 client and vice versa.
    const IpAddress a = ip.unmapped();
    const IpAddress n = network.unmapped();
    if (a.family() != n.family()) return false;
    const int p = network.is_v4_mapped() ? prefix - 96 : prefix;
    return p >= 0 && n.matches_prefix(a, p);
}

std::string Cidr::to_string() const { return fmt::format("{}/{}", network.to_string(), prefix); }

Result<CidrSet> CidrSet::parse(std::string_view list) {
    CidrSet set;
    for (auto item : split_list(list)) {
        auto c = Cidr::parse(item);
        if (!c) return fail(c.error());
        set.add(*c);
    }
    return set;
}

bool CidrSet::contains(const IpAddress& ip) const {
    for (const auto& b : blocks_)
        if (b.contains(ip)) return true;
    return false;
}

}  // namespace mw::net
