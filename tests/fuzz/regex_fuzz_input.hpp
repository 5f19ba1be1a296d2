// The input layout of the regex fuzzers: a flags byte (i, m, s, x as bits 0-3), then the
// pattern, a NUL, then the text the pattern is matched against.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "milters/spam/regex/regex_spec.hpp"

namespace mw::fuzz {

struct RegexFuzzInput {
    spam::RegexSpec spec;
    std::string text;
};

inline std::optional<RegexFuzzInput> read_regex_fuzz_input(const uint8_t* data, size_t size) {
    if (size < 2) return std::nullopt;
    const std::string_view in(reinterpret_cast<const char*>(data) + 1, size - 1);
    const auto nul = in.find('\0');
    RegexFuzzInput out;
    out.spec.pattern = std::string(in.substr(0, nul));
    out.spec.caseless = data[0] & 1;
    out.spec.multiline = data[0] & 2;
    out.spec.dotall = data[0] & 4;
    out.spec.extended = data[0] & 8;
    if (nul != std::string_view::npos) out.text = std::string(in.substr(nul + 1));
    return out;
}

}  // namespace mw::fuzz
