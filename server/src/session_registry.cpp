#include "session_registry.hpp"

#include "websocket_session.hpp"

namespace parley::server {

void SessionRegistry::add(const std::shared_ptr<WebSocketSession>& s) {
  std::lock_guard lock(mutex_);
  // Forget sessions that ended, so the list stays as long as the open ones.
  std::erase_if(sessions_, [](const auto& w) { return w.expired(); });
  sessions_.push_back(s);
}

void SessionRegistry::close_all() {
  std::vector<std::shared_ptr<WebSocketSession>> open;
  {
    std::lock_guard lock(mutex_);
    for (auto& w : sessions_)
      if (auto s = w.lock()) open.push_back(std::move(s));
    sessions_.clear();
  }
  for (auto& s : open) s->close(boost::beast::websocket::close_code::going_away);
}

}  // namespace parley::server
