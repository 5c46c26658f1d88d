// What the server knows about one connection's conversation. Touched only on that
// connection's strand.
#pragma once

#include <set>
#include <string>

namespace parley::server {

struct PeerState {
  bool greeted = false;  // hello accepted
  std::string user;
  std::set<std::string, std::less<>> rooms;  // joined rooms
};

}  // namespace parley::server
