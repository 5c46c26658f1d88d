#include "parley/room_signals.hpp"

#include <cctype>

#include "parley/protocol.hpp"

namespace parley::client {

std::string RoomSignals::key(std::string_view user) {
  std::string k(user);
  for (char& c : k) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return k;
}

void RoomSignals::set_present(const std::vector<std::string>& users) {
  ++revision_;
  online_.clear();
  for (const auto& u : users) online_[key(u)] = u;
}

void RoomSignals::presence(const std::string& user, bool online) {
  ++revision_;
  if (online) {
    online_[key(user)] = user;
  } else {
    online_.erase(key(user));
    typing_.erase(key(user));
  }
}

void RoomSignals::typing(const std::string& user, bool active, std::int64_t now_ms) {
  ++revision_;
  if (active) {
    typing_[key(user)] = {user, now_ms + protocol::kTypingExpiryMs};
  } else {
    typing_.erase(key(user));
  }
}

bool RoomSignals::expire(std::int64_t now_ms) {
  const auto before = typing_.size();
  std::erase_if(typing_, [now_ms](const auto& kv) { return kv.second.second <= now_ms; });
  if (typing_.size() == before) return false;
  ++revision_;
  return true;
}

void RoomSignals::receipt(const std::string& user, std::uint64_t read) {
  ++revision_;
  auto& r = read_[key(user)];
  r.first = user;
  r.second = std::max(r.second, read);
}

void RoomSignals::clear() {
  ++revision_;
  online_.clear();
  typing_.clear();
}

std::vector<std::string> RoomSignals::online() const {
  std::vector<std::string> out;
  for (const auto& [k, name] : online_) out.push_back(name);
  return out;
}

std::vector<std::string> RoomSignals::typing_users() const {
  std::vector<std::string> out;
  for (const auto& [k, v] : typing_) out.push_back(v.first);
  return out;
}

std::vector<std::string> RoomSignals::read_by(std::uint64_t seq, std::string_view self) const {
  std::vector<std::string> out;
  const std::string me = key(self);
  for (const auto& [k, v] : read_)
    if (k != me && v.second >= seq) out.push_back(v.first);
  return out;
}

}  // namespace parley::client
