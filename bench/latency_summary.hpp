// LatencySummary: percentiles of a set of durations (nearest-rank). Pure; not thread-safe
// (merge per-thread samples first).
#pragma once

#include <chrono>
#include <vector>

namespace mw::bench {

using Micros = std::chrono::duration<double, std::micro>;

class LatencySummary {
public:
    explicit LatencySummary(std::vector<Micros> samples);

    std::size_t count() const { return sorted_.size(); }
    /// q in [0, 1]; zero when there are no samples.
    Micros percentile(double q) const;
    Micros median() const { return percentile(0.5); }

private:
    std::vector<Micros> sorted_;
};

}  // namespace mw::bench
