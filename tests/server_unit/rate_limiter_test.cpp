#include "rate_limiter.hpp"

#include <gtest/gtest.h>

namespace parley::server {
namespace {

using std::chrono::milliseconds;
using Clock = RateLimiter::Clock;

const Clock::time_point t0 = Clock::time_point{} + std::chrono::hours(1);

TEST(RateLimiter, AllowsUpToTheLimitThenSaysHowLongToWait) {
  RateLimiter limiter(RateLimit{3, 0, milliseconds(1000)});
  EXPECT_EQ(limiter.try_acquire(t0, 1), milliseconds(0));
  EXPECT_EQ(limiter.try_acquire(t0 + milliseconds(100), 1), milliseconds(0));
  EXPECT_EQ(limiter.try_acquire(t0 + milliseconds(200), 1), milliseconds(0));
  // The fourth fits once the first has left the window, at t0 + 1000.
  EXPECT_EQ(limiter.try_acquire(t0 + milliseconds(300), 1), milliseconds(700));
  // A refused attempt is not counted.
  EXPECT_EQ(limiter.try_acquire(t0 + milliseconds(999), 1), milliseconds(1));
  EXPECT_EQ(limiter.try_acquire(t0 + milliseconds(1000), 1), milliseconds(0));
  EXPECT_EQ(limiter.try_acquire(t0 + milliseconds(1000), 1), milliseconds(100));
}

TEST(RateLimiter, TheWindowSlides) {
  RateLimiter limiter(RateLimit{2, 0, milliseconds(1000)});
  for (int i = 0; i < 20; ++i) {
    // Two per second, evenly spread, is always allowed.
    EXPECT_EQ(limiter.try_acquire(t0 + milliseconds(500 * i), 1), milliseconds(0)) << i;
  }
}

TEST(RateLimiter, LimitsBytesAndWaitsUntilEnoughHaveLeft) {
  RateLimiter limiter(RateLimit{0, 1000, milliseconds(1000)});
  EXPECT_EQ(limiter.try_acquire(t0, 400), milliseconds(0));
  EXPECT_EQ(limiter.try_acquire(t0 + milliseconds(10), 400), milliseconds(0));
  // 300 more would make 1100: the first 400 must leave first (at t0 + 1000).
  EXPECT_EQ(limiter.try_acquire(t0 + milliseconds(20), 300), milliseconds(980));
  EXPECT_EQ(limiter.try_acquire(t0 + milliseconds(20), 200), milliseconds(0));
  // Larger than the whole budget: never fits; the answer is one window.
  EXPECT_EQ(limiter.try_acquire(t0 + milliseconds(30), 5000), milliseconds(1000));
}

TEST(RateLimiter, ZeroMeansUnlimited) {
  RateLimiter limiter(RateLimit{0, 0, milliseconds(1000)});
  for (int i = 0; i < 10000; ++i) ASSERT_EQ(limiter.try_acquire(t0, 1 << 20), milliseconds(0));
}

}  // namespace
}  // namespace parley::server
