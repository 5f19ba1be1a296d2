#include "milters/spam/mime/charset_converter.hpp"

#include <gmime/gmime.h>

#include <array>
#include <cerrno>
#include <cstdint>

#include "common/base/ascii.hpp"

namespace mw::spam {
namespace {

constexpr std::string_view kReplacement = "\xEF\xBF\xBD";  // U+FFFD

/// Length of the well-formed UTF-8 sequence at text[i], or 0 when it is not one.
std::size_t utf8_sequence_length(std::string_view text, std::size_t i) {
    const auto b0 = static_cast<unsigned char>(text[i]);
    if (b0 < 0x80) return 1;
    std::size_t len = 0;
    unsigned char lo = 0x80, hi = 0xBF;  // allowed range of the second byte
    if (b0 >= 0xC2 && b0 <= 0xDF) len = 2;
    else if (b0 >= 0xE0 && b0 <= 0xEF) {
        len = 3;
        if (b0 == 0xE0) lo = 0xA0;
        if (b0 == 0xED) hi = 0x9F;  // no UTF-16 surrogates
    } else if (b0 >= 0xF0 && b0 <= 0xF4) {
        len = 4;
        if (b0 == 0xF0) lo = 0x90;
        if (b0 == 0xF4) hi = 0x8F;
    } else {
        return 0;
    }
    if (i + len > text.size()) return 0;
    for (std::size_t k = 1; k < len; ++k) {
        const auto b = static_cast<unsigned char>(text[i + k]);
        if (b < (k == 1 ? lo : 0x80) || b > (k == 1 ? hi : 0xBF)) return 0;
    }
    return len;
}

bool is_ascii(std::string_view text) {
    for (char c : text)
        if (static_cast<unsigned char>(c) >= 0x80) return false;
    return true;
}

/// Keeps well-formed UTF-8 and replaces every invalid byte with U+FFFD.
void append_repaired_utf8(std::string& out, std::string_view text) {
    std::size_t i = 0;
    while (i < text.size()) {
        const std::size_t len = utf8_sequence_length(text, i);
        if (len == 0) {
            out += kReplacement;
            ++i;
        } else {
            out.append(text.data() + i, len);
            i += len;
        }
    }
}

/// Stateful encodings whose pure-ASCII bytes still need conversion (escape sequences, '+').
bool needs_iconv_even_if_ascii(std::string_view cs) {
    return cs.starts_with("iso-2022") || cs.starts_with("utf-7") || cs.starts_with("utf-16") ||
           cs.starts_with("utf-32") || cs.starts_with("ucs") || cs.starts_with("hz") ||
           cs.starts_with("unicode");
}

bool is_utf8_or_ascii_name(std::string_view cs) {
    return cs.empty() || cs == "us-ascii" || cs == "ascii" || cs == "utf-8" || cs == "utf8" ||
           cs == "ansi_x3.4-1968";
}

/// RAII for a GMime-cached iconv descriptor.
class Iconv {
public:
    explicit Iconv(const char* from) : cd_(g_mime_iconv_open("UTF-8", from)) {}
    ~Iconv() {
        if (ok()) g_mime_iconv_close(cd_);
    }
    Iconv(const Iconv&) = delete;
    Iconv& operator=(const Iconv&) = delete;
    bool ok() const { return cd_ != reinterpret_cast<iconv_t>(-1); }
    iconv_t get() const { return cd_; }

private:
    iconv_t cd_;
};

/// Runs iconv over all of `bytes`; invalid or truncated input becomes U+FFFD.
void convert(std::string& out, std::string_view bytes, iconv_t cd) {
    std::array<char, 4096> buf{};
    char* in = const_cast<char*>(bytes.data());  // iconv's API is not const-correct
    std::size_t in_left = bytes.size();
    iconv(cd, nullptr, nullptr, nullptr, nullptr);  // reset shift state (cached descriptor)
    bool flushing = false;
    for (;;) {
        char* o = buf.data();
        std::size_t o_left = buf.size();
        const std::size_t rc = flushing ? iconv(cd, nullptr, nullptr, &o, &o_left)
                                        : iconv(cd, &in, &in_left, &o, &o_left);
        const int err = errno;
        out.append(buf.data(), buf.size() - o_left);
        if (rc != static_cast<std::size_t>(-1)) {
            if (flushing) return;
            flushing = in_left == 0 ? true : flushing;
            continue;
        }
        if (err == E2BIG) continue;
        out += kReplacement;  // EILSEQ, or EINVAL: sequence cut off at the end
        if (err == EINVAL || in_left == 0) return;
        ++in;
        --in_left;
    }
}

}  // namespace

bool is_valid_utf8(std::string_view text) {
    for (std::size_t i = 0; i < text.size();) {
        const std::size_t len = utf8_sequence_length(text, i);
        if (len == 0) return false;
        i += len;
    }
    return true;
}

void append_as_utf8(std::string& out, std::string_view bytes, std::string_view charset) {
    const std::string cs = to_lower_ascii(charset);
    if (!needs_iconv_even_if_ascii(cs) && is_ascii(bytes)) {
        out.append(bytes);
        return;
    }
    if (!is_utf8_or_ascii_name(cs)) {
        const Iconv cd(g_mime_charset_iconv_name(cs.c_str()));
        if (cd.ok()) return convert(out, bytes, cd.get());
    }
    // Declared UTF-8/ASCII, or a name iconv does not know: UTF-8 if it is, else windows-1252.
    if (is_valid_utf8(bytes)) {
        out.append(bytes);
        return;
    }
    if (cs == "utf-8" || cs == "utf8") return append_repaired_utf8(out, bytes);
    const Iconv fallback("WINDOWS-1252");
    if (!fallback.ok()) return append_repaired_utf8(out, bytes);
    convert(out, bytes, fallback.get());
}

std::string to_utf8(std::string_view bytes, std::string_view charset) {
    std::string out;
    out.reserve(bytes.size());
    append_as_utf8(out, bytes, charset);
    return out;
}

}  // namespace mw::spam
