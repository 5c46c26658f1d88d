#include "rate_limiter.hpp"

#include <algorithm>

namespace parley::server {

void RateLimiter::expire(Clock::time_point now) {
  while (!events_.empty() && now - events_.front().at >= limit_.window) {
    bytes_in_window_ -= events_.front().bytes;
    events_.pop_front();
  }
}

std::chrono::milliseconds RateLimiter::try_acquire(Clock::time_point now, std::uint64_t bytes) {
  using std::chrono::milliseconds;
  expire(now);
  const bool count_ok = limit_.events == 0 || events_.size() < limit_.events;
  const bool bytes_ok = limit_.bytes == 0 || bytes_in_window_ + bytes <= limit_.bytes;
  if (count_ok && bytes_ok) {
    events_.push_back({now, bytes});
    bytes_in_window_ += bytes;
    return milliseconds(0);
  }
  // The earliest moment enough of the window has slid past for this event to fit.
  Clock::time_point fits_at = now;
  if (!count_ok) {
    const std::size_t must_leave = events_.size() - limit_.events + 1;
    fits_at = std::max(fits_at, events_[must_leave - 1].at + limit_.window);
  }
  if (!bytes_ok) {
    if (bytes > limit_.bytes) {
      fits_at = std::max(fits_at, now + limit_.window);  // never fits; say "a window"
    } else {
      std::uint64_t freed = 0;
      for (const Event& e : events_) {
        freed += e.bytes;
        if (bytes_in_window_ - freed + bytes <= limit_.bytes) {
          fits_at = std::max(fits_at, e.at + limit_.window);
          break;
        }
      }
    }
  }
  const auto wait = std::chrono::ceil<milliseconds>(fits_at - now);
  return std::max(wait, milliseconds(1));
}

}  // namespace parley::server
