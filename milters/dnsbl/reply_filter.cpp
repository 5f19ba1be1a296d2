#include "milters/dnsbl/reply_filter.hpp"

#include <fmt/format.h>

#include <charconv>
#include <optional>

#include "common/base/limits.hpp"

namespace mw::dnsbl {

namespace {

// One decimal octet: 1 to 3 digits, value 0..255.
std::optional<unsigned> parse_number(std::string_view text) {
    if (text.empty() || text.size() > 3) return std::nullopt;
    unsigned value = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc() || end != text.data() + text.size() || value > 255) return std::nullopt;
    return value;
}

// Splits on `sep`; keeps empty pieces so that "1..2." and "[1;;2]" are errors.
std::vector<std::string_view> split_on(std::string_view text, char sep) {
    std::vector<std::string_view> out;
    std::size_t start = 0;
    for (;;) {
        auto pos = text.find(sep, start);
        out.push_back(text.substr(start, pos - start));
        if (pos == std::string_view::npos) return out;
        start = pos + 1;
    }
}

}  // namespace

Result<ReplyFilter::OctetSet> ReplyFilter::parse_set(std::string_view items) {
    OctetSet set;
    auto parts = split_on(items, ';');
    if (parts.size() > limits::kMaxDnsblFilterItems)
        return fail(ErrorCode::TooLong,
                    fmt::format("more than {} items in [{}]", limits::kMaxDnsblFilterItems, items));
    for (auto item : parts) {
        auto dots = item.find("..");
        auto lo = parse_number(item.substr(0, dots));
        auto hi = dots == std::string_view::npos ? lo : parse_number(item.substr(dots + 2));
        if (!lo || !hi)
            return fail(ErrorCode::Invalid, fmt::format("bad item \"{}\" in [{}]", item, items));
        if (*lo > *hi) return fail(ErrorCode::Invalid, fmt::format("empty range \"{}\"", item));
        for (unsigned v = *lo; v <= *hi; ++v) set.set(v);
    }
    return set;
}

Result<ReplyFilter::OctetSet> ReplyFilter::parse_octet(std::string_view text) {
    if (text.size() >= 2 && text.front() == '[' && text.back() == ']')
        return parse_set(text.substr(1, text.size() - 2));
    auto value = parse_number(text);
    if (!value) return fail(ErrorCode::Invalid, fmt::format("bad octet \"{}\"", text));
    OctetSet set;
    set.set(*value);
    return set;
}

Result<ReplyFilter> ReplyFilter::parse(std::string_view text) {
    // Dots inside [..] belong to ranges, so split on the dots outside brackets only.
    std::vector<std::string_view> octets;
    std::size_t start = 0;
    int depth = 0;
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] == '[') ++depth;
        if (text[i] == ']') --depth;
        if (depth < 0 || depth > 1)
            return fail(ErrorCode::Invalid, fmt::format("unbalanced [ ] in filter \"{}\"", text));
        if (text[i] == '.' && depth == 0) {
            octets.push_back(text.substr(start, i - start));
            start = i + 1;
        }
    }
    octets.push_back(text.substr(start));
    if (depth != 0 || octets.size() != 4)
        return fail(ErrorCode::Invalid, fmt::format("filter \"{}\" is not d.d.d.d", text));
    ReplyFilter filter;
    filter.text_ = std::string(text);
    for (std::size_t i = 0; i < 4; ++i) {
        auto set = parse_octet(octets[i]);
        if (!set)
            return fail(ErrorCode::Invalid,
                        fmt::format("filter \"{}\": {}", text, set.error().message));
        filter.octets_[i] = *set;
    }
    return filter;
}

bool ReplyFilter::matches(const net::IpAddress& address) const {
    const auto ip = address.unmapped();
    if (!ip.is_v4()) return false;
    for (std::size_t i = 0; i < 4; ++i)
        if (!octets_[i].test(ip.bytes()[i])) return false;
    return true;
}

}  // namespace mw::dnsbl
