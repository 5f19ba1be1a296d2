// mw::Result<T>: the value-or-error return type used by every fallible call that the caller must
// handle. tl::expected (Debian libexpected-dev) until the toolchain has std::expected.
#pragma once

#include <tl/expected.hpp>

#include "common/base/error.hpp"

namespace mw {

template <typename T>
using Result = tl::expected<T, Error>;

/// Shorthand for returning an error from a function that returns Result<T>.
inline tl::unexpected<Error> fail(Error e) { return tl::unexpected<Error>(std::move(e)); }
inline tl::unexpected<Error> fail(ErrorCode code, std::string message) {
    return tl::unexpected<Error>(Error{code, std::move(message), {}});
}

}  // namespace mw
