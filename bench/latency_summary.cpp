#include "bench/latency_summary.hpp"

#include <algorithm>
#include <cmath>

namespace mw::bench {

LatencySummary::LatencySummary(std::vector<Micros> samples) : sorted_(std::move(samples)) {
    std::sort(sorted_.begin(), sorted_.end());
}

Micros LatencySummary::percentile(double q) const {
    if (sorted_.empty()) return Micros::zero();
    const double rank = std::ceil(std::clamp(q, 0.0, 1.0) * static_cast<double>(sorted_.size()));
    const auto index = static_cast<std::size_t>(std::max(rank, 1.0)) - 1;
    return sorted_[std::min(index, sorted_.size() - 1)];
}

}  // namespace mw::bench
