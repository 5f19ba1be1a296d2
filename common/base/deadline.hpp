// A point in time by which work must be done (monotonic clock).
#pragma once

#include <algorithm>
#include <chrono>

namespace mw {

using Clock = std::chrono::steady_clock;

class Deadline {
public:
    explicit Deadline(Clock::time_point at) : at_(at) {}
    static Deadline after(Clock::duration d) { return Deadline(Clock::now() + d); }
    static Deadline never() { return Deadline(Clock::time_point::max()); }

    Clock::time_point at() const { return at_; }
    bool expired() const { return Clock::now() >= at_; }
    Clock::duration remaining() const {
        auto now = Clock::now();
        return now >= at_ ? Clock::duration::zero() : at_ - now;
    }
    /// The earlier of two deadlines.
    Deadline min(Deadline other) const { return Deadline(std::min(at_, other.at_)); }

private:
    Clock::time_point at_;
};

}  // namespace mw
