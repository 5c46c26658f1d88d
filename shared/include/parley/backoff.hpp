// Reconnect delays: exponential growth with "full jitter" (a uniform draw between 0 and
// the current ceiling) so that many clients dropped together do not return together.
#pragma once

#include <cstdint>
#include <functional>

namespace parley::client {

struct BackoffParams {
  std::int64_t base_ms = 500;   // ceiling of the first attempt
  std::int64_t max_ms = 20000;  // the ceiling never grows past this
};

class Backoff {
 public:
  // `random01` returns a value in [0, 1); values outside are clamped.
  Backoff(BackoffParams params, std::function<double()> random01);

  // The delay before the next attempt; each call counts one more attempt.
  std::int64_t next_delay_ms();
  // The upper bound the next call draws from.
  std::int64_t ceiling_ms() const;
  void reset() { attempts_ = 0; }
  int attempts() const { return attempts_; }

 private:
  BackoffParams params_;
  std::function<double()> random01_;
  int attempts_ = 0;
};

}  // namespace parley::client
