#include "milters/dkim/base64.hpp"

#include <cstdint>

#include "milters/dkim/tag_list.hpp"

namespace mw::dkim {
namespace {

constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

int sextet(char c) {
    if (c >= 'A' && c <= 'Z') return c - 'A';
    if (c >= 'a' && c <= 'z') return c - 'a' + 26;
    if (c >= '0' && c <= '9') return c - '0' + 52;
    if (c == '+') return 62;
    if (c == '/') return 63;
    return -1;
}


}  // namespace

std::string base64_encode(std::string_view bytes) {
    std::string out;
    out.reserve((bytes.size() + 2) / 3 * 4);
    std::size_t i = 0;
    for (; i + 2 < bytes.size(); i += 3) {
        const std::uint32_t v = (std::uint32_t(std::uint8_t(bytes[i])) << 16) |
                                (std::uint32_t(std::uint8_t(bytes[i + 1])) << 8) |
                                std::uint8_t(bytes[i + 2]);
        for (int s = 18; s >= 0; s -= 6) out += kAlphabet[(v >> s) & 63];
    }
    const std::size_t rest = bytes.size() - i;
    if (rest == 0) return out;
    std::uint32_t v = std::uint32_t(std::uint8_t(bytes[i])) << 16;
    if (rest == 2) v |= std::uint32_t(std::uint8_t(bytes[i + 1])) << 8;
    out += kAlphabet[(v >> 18) & 63];
    out += kAlphabet[(v >> 12) & 63];
    out += rest == 2 ? kAlphabet[(v >> 6) & 63] : '=';
    out += '=';
    return out;
}

std::optional<std::string> base64_decode(std::string_view text) {
    std::string out;
    out.reserve(text.size() * 3 / 4);
    std::uint32_t acc = 0;
    int bits = 0;
    int pad = 0;
    std::size_t count = 0;  // significant characters, padding included
    for (char c : text) {
        if (is_fws(c)) continue;
        ++count;
        if (c == '=') {
            ++pad;
            continue;
        }
        const int v = sextet(c);
        if (v < 0 || pad > 0) return std::nullopt;  // data after padding
        acc = (acc << 6) | std::uint32_t(v);
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            out += static_cast<char>((acc >> bits) & 0xFF);
        }
    }
    if (count % 4 != 0 || pad > 2) return std::nullopt;
    // Leftover bits must be zero and match the padding (canonical encoding).
    if ((acc & ((1u << bits) - 1)) != 0) return std::nullopt;
    const int expected_pad = bits == 4 ? 2 : bits == 2 ? 1 : 0;  // 1 or 2 bytes in the last group
    if (bits == 6 || pad != expected_pad) return std::nullopt;
    return out;
}

}  // namespace mw::dkim
