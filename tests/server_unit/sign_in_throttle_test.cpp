#include "sign_in_throttle.hpp"

#include <gtest/gtest.h>

namespace parley::server {
namespace {

using namespace std::chrono_literals;
using Clock = SignInThrottle::Clock;

TEST(SignInThrottle, FailuresPerNameWithoutCaseStopTriesUntilTheWindowMoves) {
  SignInThrottle t({3, 100, 60s, 1000});
  const auto t0 = Clock::time_point{} + 1h;
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(t.wait("ann", "10.0.0.1", t0 + i * 1s), 0ms);
    t.failed("Ann", "10.0.0.1", t0 + i * 1s);
  }
  // The oldest of the three leaves the window at t0 + 60 s.
  EXPECT_EQ(t.wait("ANN", "10.0.0.2", t0 + 10s), 50s);
  EXPECT_EQ(t.wait("bob", "10.0.0.1", t0 + 10s), 0ms);
  EXPECT_EQ(t.wait("ann", "10.0.0.1", t0 + 60s), 0ms);
}

TEST(SignInThrottle, FailuresPerAddressStopEveryName) {
  SignInThrottle t({100, 4, 10s, 1000});
  const auto t0 = Clock::time_point{} + 1h;
  for (int i = 0; i < 4; ++i) t.failed("user" + std::to_string(i), "10.0.0.9", t0);
  EXPECT_GT(t.wait("someone", "10.0.0.9", t0 + 1s).count(), 0);
  EXPECT_EQ(t.wait("someone", "10.0.0.8", t0 + 1s), 0ms);
}

TEST(SignInThrottle, SuccessClearsTheName) {
  SignInThrottle t({2, 100, 60s, 1000});
  const auto t0 = Clock::time_point{} + 1h;
  t.failed("ann", "a", t0);
  t.succeeded("ANN");
  t.failed("ann", "a", t0);
  EXPECT_EQ(t.wait("ann", "a", t0), 0ms);
}

TEST(SignInThrottle, ZeroIsUnlimited) {
  SignInThrottle t({0, 0, 60s, 1000});
  const auto t0 = Clock::time_point{} + 1h;
  for (int i = 0; i < 50; ++i) t.failed("ann", "a", t0);
  EXPECT_EQ(t.wait("ann", "a", t0), 0ms);
}

TEST(SignInThrottle, MemoryStaysBounded) {
  SignInThrottle t({3, 3, 60s, 64});
  const auto t0 = Clock::time_point{} + 1h;
  for (int i = 0; i < 10000; ++i) t.failed("user" + std::to_string(i), "10.0.0." + std::to_string(i), t0 + i * 1ms);
  // Past the bound the stalest are forgotten, and counting still works for the newest.
  for (int i = 0; i < 3; ++i) t.failed("last", "10.1.1.1", t0 + 20s);
  EXPECT_GT(t.wait("last", "10.9.9.9", t0 + 20s).count(), 0);
  EXPECT_GT(t.wait("nobody", "10.1.1.1", t0 + 20s).count(), 0);
}

}  // namespace
}  // namespace parley::server
