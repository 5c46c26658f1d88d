#include "presence_registry.hpp"

#include <cctype>

namespace parley::server {

std::string PresenceRegistry::key(const std::string& user) {
  std::string k = user;
  for (char& c : k) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return k;
}

bool PresenceRegistry::enter(const std::string& room, const std::string& user,
                             const void* connection) {
  std::lock_guard lock(mutex_);
  Entry& e = rooms_[room][key(user)];
  if (e.name.empty()) e.name = user;
  const bool was_absent = e.connections.empty();
  e.connections.insert(connection);
  return was_absent;
}

bool PresenceRegistry::leave(const std::string& room, const std::string& user,
                             const void* connection) {
  std::lock_guard lock(mutex_);
  auto r = rooms_.find(room);
  if (r == rooms_.end()) return false;
  auto u = r->second.find(key(user));
  if (u == r->second.end() || u->second.connections.erase(connection) == 0) return false;
  if (!u->second.connections.empty()) return false;
  r->second.erase(u);
  if (r->second.empty()) rooms_.erase(r);
  return true;
}

std::vector<std::pair<std::string, std::string>> PresenceRegistry::leave_all(
    const void* connection) {
  std::lock_guard lock(mutex_);
  std::vector<std::pair<std::string, std::string>> gone;
  for (auto r = rooms_.begin(); r != rooms_.end();) {
    for (auto u = r->second.begin(); u != r->second.end();) {
      if (u->second.connections.erase(connection) > 0 && u->second.connections.empty()) {
        gone.emplace_back(r->first, u->second.name);
        u = r->second.erase(u);
      } else {
        ++u;
      }
    }
    r = r->second.empty() ? rooms_.erase(r) : std::next(r);
  }
  return gone;
}

bool PresenceRegistry::contains(const std::string& room, const void* connection) const {
  std::lock_guard lock(mutex_);
  auto r = rooms_.find(room);
  if (r == rooms_.end()) return false;
  for (const auto& [k, e] : r->second)
    if (e.connections.contains(connection)) return true;
  return false;
}

std::vector<std::string> PresenceRegistry::present(const std::string& room) const {
  std::lock_guard lock(mutex_);
  std::vector<std::string> out;
  if (auto r = rooms_.find(room); r != rooms_.end())
    for (const auto& [k, e] : r->second) out.push_back(e.name);
  return out;
}

void PresenceRegistry::drop_room(const std::string& room) {
  std::lock_guard lock(mutex_);
  rooms_.erase(room);
}

}  // namespace parley::server
