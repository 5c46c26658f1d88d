// What the server knows about one connection's conversation. Touched only on that
// connection's strand.
#pragma once

#include <memory>
#include <set>
#include <string>

#include "rate_limiter.hpp"

namespace parley::server {

struct PeerState {
  bool greeted = false;  // hello accepted
  std::string user;
  std::set<std::string, std::less<>> rooms;  // joined rooms
  std::unique_ptr<RateLimiter> limiter;      // made on the first frame
};

}  // namespace parley::server
