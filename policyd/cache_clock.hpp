// The time source of the policy caches: steady_clock in production, a test's own in tests.
#pragma once

#include <functional>

#include "common/base/deadline.hpp"

namespace mw::policyd {

using NowFn = std::function<Clock::time_point()>;

inline NowFn steady_now() {
    return [] { return Clock::now(); };
}

}  // namespace mw::policyd
