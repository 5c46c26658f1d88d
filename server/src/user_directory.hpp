// The connections of each signed-in user, so something addressed to a person (an
// invitation, a removal) reaches all of their open connections. Thread-safe.
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "subscriber.hpp"

namespace parley::server {

class UserDirectory {
 public:
  void add(const std::string& user, const std::shared_ptr<Subscriber>& s);
  void remove(const std::string& user, const Subscriber* s);
  // The user's live connections (none when they are offline).
  std::vector<std::shared_ptr<Subscriber>> connections(const std::string& user) const;
  void deliver(const std::string& user, const Frame& frame) const;
  std::size_t user_count() const;

 private:
  static std::string key(const std::string& user);  // names compare without ASCII case

  mutable std::mutex mutex_;
  std::map<std::string, std::vector<std::weak_ptr<Subscriber>>> by_user_;
};

}  // namespace parley::server
