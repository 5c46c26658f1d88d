#include "local_fanout.hpp"

#include <algorithm>

namespace parley::server {

void LocalFanout::subscribe(const std::string& room, const std::shared_ptr<Subscriber>& s) {
  std::lock_guard lock(mutex_);
  auto& members = rooms_[room];
  auto same = [&](const Member& m) { return m.key == s.get(); };
  if (std::none_of(members.begin(), members.end(), same)) members.push_back({s.get(), s});
}

void LocalFanout::unsubscribe(const std::string& room, const Subscriber* s) {
  std::lock_guard lock(mutex_);
  auto it = rooms_.find(room);
  if (it == rooms_.end()) return;
  std::erase_if(it->second, [&](const Member& m) { return m.key == s; });
  if (it->second.empty()) rooms_.erase(it);
}

void LocalFanout::drop_room(const std::string& room) {
  std::lock_guard lock(mutex_);
  if (auto it = rooms_.find(room); it != rooms_.end()) rooms_.erase(it);
}

void LocalFanout::unsubscribe_all(const Subscriber* s) {
  std::lock_guard lock(mutex_);
  for (auto it = rooms_.begin(); it != rooms_.end();) {
    std::erase_if(it->second, [&](const Member& m) { return m.key == s; });
    it = it->second.empty() ? rooms_.erase(it) : std::next(it);
  }
}

void LocalFanout::publish(const std::string& room, const Frame& frame) {
  std::vector<std::shared_ptr<Subscriber>> targets;
  {
    std::lock_guard lock(mutex_);
    auto it = rooms_.find(room);
    if (it == rooms_.end()) return;
    targets.reserve(it->second.size());
    // Members that went away without unsubscribing (a join that completed after its
    // connection closed) are dropped here.
    std::erase_if(it->second, [&](const Member& m) {
      auto p = m.ptr.lock();
      if (!p) return true;
      targets.push_back(std::move(p));
      return false;
    });
    if (it->second.empty()) rooms_.erase(it);
  }
  for (auto& t : targets) t->deliver(frame);
}

std::size_t LocalFanout::room_count() const {
  std::lock_guard lock(mutex_);
  return rooms_.size();
}

}  // namespace parley::server
