#include "parley/backoff.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

namespace parley::client {
namespace {

TEST(Backoff, CeilingDoublesFromBaseUpToMax) {
  Backoff b({500, 20000}, [] { return 0.0; });
  std::vector<std::int64_t> ceilings;
  for (int i = 0; i < 10; ++i) {
    ceilings.push_back(b.ceiling_ms());
    b.next_delay_ms();
  }
  EXPECT_EQ(ceilings, (std::vector<std::int64_t>{500, 1000, 2000, 4000, 8000, 16000, 20000,
                                                 20000, 20000, 20000}));
}

TEST(Backoff, FullJitterStaysWithinZeroAndCeiling) {
  double r = 0.0;
  Backoff b({500, 20000}, [&] { return r; });
  for (int i = 0; i < 50; ++i) {
    r = (i % 7) / 6.0;  // 0 .. 1 inclusive
    const std::int64_t ceiling = b.ceiling_ms();
    const std::int64_t d = b.next_delay_ms();
    EXPECT_GE(d, 0);
    EXPECT_LE(d, ceiling);
    EXPECT_LE(d, 20000);
  }
}

TEST(Backoff, GrowsWithAttempts) {
  Backoff b({500, 20000}, [] { return 0.99; });
  std::int64_t previous = -1;
  for (int i = 0; i < 6; ++i) {
    const std::int64_t d = b.next_delay_ms();
    EXPECT_GT(d, previous);
    previous = d;
  }
}

TEST(Backoff, OutOfRangeRandomIsClamped) {
  double r = 7.0;
  Backoff b({500, 20000}, [&] { return r; });
  for (int i = 0; i < 20; ++i) EXPECT_LE(b.next_delay_ms(), 20000);
  r = -3.0;
  EXPECT_EQ(b.next_delay_ms(), 0);
  r = std::numeric_limits<double>::quiet_NaN();
  const std::int64_t d = b.next_delay_ms();
  EXPECT_GE(d, 0);
  EXPECT_LE(d, 20000);
}

TEST(Backoff, ResetStartsOver) {
  Backoff b({500, 20000}, [] { return 0.5; });
  for (int i = 0; i < 5; ++i) b.next_delay_ms();
  EXPECT_EQ(b.attempts(), 5);
  b.reset();
  EXPECT_EQ(b.attempts(), 0);
  EXPECT_EQ(b.ceiling_ms(), 500);
  EXPECT_EQ(b.next_delay_ms(), 250);
}

}  // namespace
}  // namespace parley::client
