#include "user_directory.hpp"

#include <algorithm>
#include <cctype>

namespace parley::server {

std::string UserDirectory::key(const std::string& user) {
  std::string k = user;
  for (char& c : k) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return k;
}

void UserDirectory::add(const std::string& user, const std::shared_ptr<Subscriber>& s) {
  std::lock_guard lock(mutex_);
  by_user_[key(user)].push_back(s);
}

void UserDirectory::remove(const std::string& user, const Subscriber* s) {
  std::lock_guard lock(mutex_);
  auto it = by_user_.find(key(user));
  if (it == by_user_.end()) return;
  std::erase_if(it->second, [s](const std::weak_ptr<Subscriber>& w) {
    auto p = w.lock();
    return !p || p.get() == s;
  });
  if (it->second.empty()) by_user_.erase(it);
}

std::vector<std::shared_ptr<Subscriber>> UserDirectory::connections(const std::string& user) const {
  std::lock_guard lock(mutex_);
  std::vector<std::shared_ptr<Subscriber>> out;
  auto it = by_user_.find(key(user));
  if (it == by_user_.end()) return out;
  for (const auto& w : it->second)
    if (auto p = w.lock()) out.push_back(std::move(p));
  return out;
}

void UserDirectory::deliver(const std::string& user, const Frame& frame) const {
  for (const auto& s : connections(user)) s->deliver(frame);
}

std::size_t UserDirectory::user_count() const {
  std::lock_guard lock(mutex_);
  return by_user_.size();
}

}  // namespace parley::server
