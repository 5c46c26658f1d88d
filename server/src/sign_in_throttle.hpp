// Slows password guessing: failed sign-ins are counted per account name (without case)
// and per client address over a sliding window; past either limit, sign-ins under that
// name or from that address are refused until the oldest failure leaves the window.
// A success clears the name's failures. Thread-safe; memory stays bounded (at most
// `max_keys` names and addresses are remembered, the stalest forgotten first).
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <mutex>
#include <string>
#include <unordered_map>

namespace parley::server {

struct SignInLimits {
  std::uint32_t per_name = 5;      // failures per window under one name; 0 = unlimited
  std::uint32_t per_address = 20;  // failures per window from one address; 0 = unlimited
  std::chrono::milliseconds window{60000};
  std::size_t max_keys = 100000;
};

class SignInThrottle {
 public:
  using Clock = std::chrono::steady_clock;

  explicit SignInThrottle(SignInLimits limits) : limits_(limits) {}

  // 0 when a sign-in as `name` from `address` may be tried now; else how long to wait.
  std::chrono::milliseconds wait(const std::string& name, const std::string& address,
                                 Clock::time_point now);
  void failed(const std::string& name, const std::string& address, Clock::time_point now);
  void succeeded(const std::string& name);

 private:
  using Failures = std::deque<Clock::time_point>;
  std::chrono::milliseconds wait_for(Failures* f, std::uint32_t limit, Clock::time_point now) const;
  Failures* find(const std::string& key, Clock::time_point now);
  void record(const std::string& key, Clock::time_point now);
  static std::string name_key(const std::string& name);

  SignInLimits limits_;
  std::mutex mutex_;
  std::unordered_map<std::string, Failures> failures_;  // "n:" + name, "a:" + address
};

}  // namespace parley::server
