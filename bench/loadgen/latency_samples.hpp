// Latencies in microseconds, kept whole so percentiles are exact.
#pragma once

#include <algorithm>
#include <cstdint>
#include <vector>

namespace parley::bench {

class LatencySamples {
 public:
  void add(std::uint64_t micros) { samples_.push_back(static_cast<std::uint32_t>(std::min<std::uint64_t>(micros, UINT32_MAX))); }
  std::size_t count() const { return samples_.size(); }
  void clear() { samples_.clear(); }

  // The p-th percentile (0 < p <= 100) in milliseconds; 0 when there are no samples.
  double percentile_ms(double p) {
    if (samples_.empty()) return 0;
    std::size_t rank = static_cast<std::size_t>(p / 100.0 * (samples_.size() - 1) + 0.5);
    std::nth_element(samples_.begin(), samples_.begin() + rank, samples_.end());
    return samples_[rank] / 1000.0;
  }

 private:
  std::vector<std::uint32_t> samples_;
};

}  // namespace parley::bench
