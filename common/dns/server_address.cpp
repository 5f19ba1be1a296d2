#include "common/dns/server_address.hpp"

#include <charconv>

namespace mw::dns {

namespace {

Result<uint16_t> parse_port(std::string_view text, std::string_view whole) {
    unsigned value = 0;
    const char* end = text.data() + text.size();
    auto [ptr, ec] = std::from_chars(text.data(), end, value);
    if (text.empty() || ec != std::errc() || ptr != end || value == 0 || value > 65535)
        return fail(ErrorCode::Invalid,
                    "DNS server \"" + std::string(whole) + "\": port must be a number 1..65535");
    return static_cast<uint16_t>(value);
}

Result<ServerAddress> make(std::string_view addr, std::optional<std::string_view> port,
                           std::string_view whole) {
    auto ip = net::IpAddress::parse(addr);
    if (!ip)
        return fail(ErrorCode::Invalid,
                    "DNS server \"" + std::string(whole) + "\": not an IPv4 or IPv6 address");
    ServerAddress out{*ip, ServerAddress::kDefaultPort};
    if (port) {
        auto p = parse_port(*port, whole);
        if (!p) return fail(p.error());
        out.port = *p;
    }
    return out;
}

}  // namespace

Result<ServerAddress> ServerAddress::parse(std::string_view text) {
    if (!text.empty() && text.front() == '[') {
        auto close = text.find(']');
        if (close == std::string_view::npos)
            return fail(ErrorCode::Invalid,
                        "DNS server \"" + std::string(text) + "\": missing ']'");
        auto rest = text.substr(close + 1);
        if (!rest.empty() && rest.front() != ':')
            return fail(ErrorCode::Invalid,
                        "DNS server \"" + std::string(text) + "\": expected ':PORT' after ']'");
        auto port = rest.empty() ? std::nullopt : std::optional(rest.substr(1));
        auto out = make(text.substr(1, close - 1), port, text);
        if (out && !out->address.is_v6())
            return fail(ErrorCode::Invalid,
                        "DNS server \"" + std::string(text) + "\": brackets are for IPv6 only");
        return out;
    }
    auto colon = text.find(':');
    // More than one colon without brackets: a bare IPv6 address, no port.
    if (colon == std::string_view::npos || text.find(':', colon + 1) != std::string_view::npos)
        return make(text, std::nullopt, text);
    return make(text.substr(0, colon), text.substr(colon + 1), text);
}

std::string ServerAddress::to_string() const {
    auto ip = address.to_string();
    if (address.is_v6()) ip = "[" + ip + "]";
    return ip + ":" + std::to_string(port);
}

}  // namespace mw::dns
