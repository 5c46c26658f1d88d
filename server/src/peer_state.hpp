// What the server knows about one connection's conversation. Touched only on that
// connection's strand.
#pragma once

#include <cstdint>
#include <memory>
#include <set>
#include <string>

#include "rate_limiter.hpp"

namespace parley::server {

struct PeerState {
  bool greeted = false;  // hello accepted
  std::string user;
  std::string role = "user";
  std::int64_t token_expires_at = 0;  // seconds; 0 = signed in without a token
  std::set<std::string, std::less<>> rooms;  // joined rooms
  std::unique_ptr<RateLimiter> limiter;      // made on the first frame
};

}  // namespace parley::server
