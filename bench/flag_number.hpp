// flag_number(): a load driver's numeric flag value, whole and within [lo, hi], or an error
// naming the flag. Shared by the milter load drivers' option parsers. Header-only; pure.
#pragma once

#include <charconv>
#include <string>
#include <string_view>

#include "common/base/result.hpp"

namespace mw::bench {

template <typename T>
Result<T> flag_number(std::string_view flag, std::string_view v, T lo, T hi) {
    T n{};
    const auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), n);
    if (ec != std::errc() || end != v.data() + v.size() || n < lo || n > hi)
        return fail(ErrorCode::Invalid, std::string(flag) + ": bad value " + std::string(v));
    return n;
}

}  // namespace mw::bench
