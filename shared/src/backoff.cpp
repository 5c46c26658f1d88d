#include "parley/backoff.hpp"

#include <algorithm>
#include <cmath>
#include <utility>

namespace parley::client {

Backoff::Backoff(BackoffParams params, std::function<double()> random01)
    : params_(params), random01_(std::move(random01)) {
  params_.base_ms = std::max<std::int64_t>(params_.base_ms, 1);
  params_.max_ms = std::max(params_.max_ms, params_.base_ms);
}

std::int64_t Backoff::ceiling_ms() const {
  std::int64_t ceiling = params_.base_ms;
  // Doubling stops at the cap, so the shift can never overflow.
  for (int i = 0; i < attempts_ && ceiling < params_.max_ms; ++i) ceiling *= 2;
  return std::min(ceiling, params_.max_ms);
}

std::int64_t Backoff::next_delay_ms() {
  const std::int64_t ceiling = ceiling_ms();
  double r = random01_ ? random01_() : 0.5;
  if (!std::isfinite(r)) r = 0.5;
  r = std::clamp(r, 0.0, 1.0);
  ++attempts_;
  const auto delay = static_cast<std::int64_t>(r * static_cast<double>(ceiling));
  return std::clamp<std::int64_t>(delay, 0, params_.max_ms);
}

}  // namespace parley::client
