#include "milters/spam/mime/transfer_decoder.hpp"

#include <array>
#include <cstdint>

namespace mw::spam {
namespace {

constexpr std::array<std::int8_t, 256> make_base64_table() {
    std::array<std::int8_t, 256> t{};
    for (auto& v : t) v = -1;
    constexpr std::string_view kAlphabet =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    for (std::size_t i = 0; i < kAlphabet.size(); ++i)
        t[static_cast<unsigned char>(kAlphabet[i])] = static_cast<std::int8_t>(i);
    return t;
}
constexpr auto kBase64 = make_base64_table();

int hex_value(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

/// At a line end (or end of input) after position i, skipping only blanks?
std::size_t blanks_before_line_end(std::string_view in, std::size_t i) {
    std::size_t j = i;
    while (j < in.size() && (in[j] == ' ' || in[j] == '\t')) ++j;
    if (j == in.size()) return j - i;
    if (in[j] == '\n' || (in[j] == '\r' && j + 1 < in.size() && in[j + 1] == '\n')) return j - i;
    return 0;
}

/// Length of a soft line break "=\n" or "=\r\n" at in[i] == '=', 0 if none.
std::size_t soft_break(std::string_view in, std::size_t i) {
    if (i + 1 < in.size() && in[i + 1] == '\n') return 2;
    if (i + 2 < in.size() && in[i + 1] == '\r' && in[i + 2] == '\n') return 3;
    return 0;
}

}  // namespace

bool decode_base64(std::string_view in, std::string& out, std::size_t max_out) {
    std::uint32_t acc = 0;
    int bits = 0;
    std::size_t written = 0;
    for (const char c : in) {
        if (c == '=') {  // padding ends a quantum: leftover bits are fill (RFC 4648 §3.5)
            acc = 0;
            bits = 0;
            continue;
        }
        const int v = kBase64[static_cast<unsigned char>(c)];
        if (v < 0) continue;  // white space and junk: SA drops them too
        acc = (acc << 6) | static_cast<std::uint32_t>(v);
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            if (written == max_out) return true;
            out += static_cast<char>((acc >> bits) & 0xFF);
            ++written;
        }
    }
    return false;
}

bool decode_quoted_printable(std::string_view in, std::string& out, std::size_t max_out) {
    std::size_t written = 0;
    std::size_t i = 0;
    while (i < in.size()) {
        if (written >= max_out) return true;
        const char c = in[i];
        if (c == ' ' || c == '\t') {
            // RFC 2045 §6.7 rule 3: trailing white space on a line is not content.
            const std::size_t skip = blanks_before_line_end(in, i);
            if (skip > 0) {
                i += skip;
                continue;
            }
        } else if (c == '=') {
            if (const std::size_t n = soft_break(in, i); n > 0) {
                i += n;
                continue;
            }
            if (i + 2 < in.size() && hex_value(in[i + 1]) >= 0 && hex_value(in[i + 2]) >= 0) {
                out += static_cast<char>(hex_value(in[i + 1]) * 16 + hex_value(in[i + 2]));
                ++written;
                i += 3;
                continue;
            }
        }
        out += c;
        ++written;
        ++i;
    }
    return false;
}

std::string decode_q_encoding(std::string_view in) {
    // As SA: "_" -> "=20" first, so an encoded trailing space is not trimmed as white space.
    std::string spaced;
    spaced.reserve(in.size());
    for (const char c : in) {
        if (c == '_') spaced += "=20";
        else spaced += c;
    }
    std::string out;
    out.reserve(spaced.size());
    decode_quoted_printable(spaced, out, spaced.size());
    return out;
}

}  // namespace mw::spam
