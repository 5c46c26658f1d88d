// Every open WebSocket session, so a stopping server can close them with 1001.
#pragma once

#include <memory>
#include <mutex>
#include <vector>

namespace parley::server {

class WebSocketSession;

class SessionRegistry {
 public:
  void add(const std::shared_ptr<WebSocketSession>& s);
  // Closes every session still open with "going away".
  void close_all();

 private:
  std::mutex mutex_;
  std::vector<std::weak_ptr<WebSocketSession>> sessions_;
};

}  // namespace parley::server
