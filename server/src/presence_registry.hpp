// Who is connected to which room: a user is present in a room while at least one of
// their connections has joined it. Reports only the transitions (first connection in,
// last connection out), which are what the room hears about. Thread-safe.
#pragma once

#include <map>
#include <mutex>
#include <set>
#include <string>
#include <vector>

namespace parley::server {

class PresenceRegistry {
 public:
  // Returns true when this made `user` present in `room`.
  bool enter(const std::string& room, const std::string& user, const void* connection);
  // Returns true when this made `user` absent from `room`.
  bool leave(const std::string& room, const std::string& user, const void* connection);
  // Every room the connection was in, as (room, user) pairs whose user went absent.
  std::vector<std::pair<std::string, std::string>> leave_all(const void* connection);
  bool contains(const std::string& room, const void* connection) const;
  // Present users of a room, by name.
  std::vector<std::string> present(const std::string& room) const;
  void drop_room(const std::string& room);

 private:
  struct Entry {
    std::string name;                     // as the user spelled it
    std::set<const void*> connections;
  };
  static std::string key(const std::string& user);

  mutable std::mutex mutex_;
  std::map<std::string, std::map<std::string, Entry>> rooms_;  // room -> user key -> entry
};

}  // namespace parley::server
