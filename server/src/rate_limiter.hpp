// A sliding-window limit on how many events (and how many bytes) one connection may
// send per window. Touched only on the connection's strand; the clock is passed in.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <deque>

namespace parley::server {

struct RateLimit {
  std::uint32_t events = 0;  // per window; 0 = unlimited
  std::uint64_t bytes = 0;   // per window; 0 = unlimited
  std::chrono::milliseconds window{10000};
};

class RateLimiter {
 public:
  using Clock = std::chrono::steady_clock;

  explicit RateLimiter(RateLimit limit) : limit_(limit) {}

  // Records an event of `bytes` at `now` when it fits the window and returns 0; else
  // records nothing and returns how long to wait before it would fit (at least 1 ms).
  std::chrono::milliseconds try_acquire(Clock::time_point now, std::uint64_t bytes);

 private:
  struct Event {
    Clock::time_point at;
    std::uint64_t bytes;
  };
  void expire(Clock::time_point now);

  RateLimit limit_;
  std::deque<Event> events_;
  std::uint64_t bytes_in_window_ = 0;
};

}  // namespace parley::server
