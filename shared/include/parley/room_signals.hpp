// A room's live signals as a client sees them: who is online, who is typing (each
// entry expiring unless renewed), and how far each member has read. Ephemeral: rebuilt
// from the server's frames after every (re)join.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace parley::client {

class RoomSignals {
 public:
  void set_present(const std::vector<std::string>& users);
  void presence(const std::string& user, bool online);
  // `active` typing expires at now + protocol::kTypingExpiryMs unless renewed.
  void typing(const std::string& user, bool active, std::int64_t now_ms);
  // Drops typing entries that were not renewed in time; true when something changed.
  bool expire(std::int64_t now_ms);
  void receipt(const std::string& user, std::uint64_t read);
  void clear();

  std::vector<std::string> online() const;        // by name
  std::vector<std::string> typing_users() const;  // by name
  // Members other than `self` whose read marker has reached `seq`, by name.
  std::vector<std::string> read_by(std::uint64_t seq, std::string_view self) const;
  std::uint64_t revision() const { return revision_; }

 private:
  static std::string key(std::string_view user);

  std::map<std::string, std::string> online_;                          // key -> name
  std::map<std::string, std::pair<std::string, std::int64_t>> typing_;  // key -> name, expiry
  std::map<std::string, std::pair<std::string, std::uint64_t>> read_;   // key -> name, seq
  std::uint64_t revision_ = 0;
};

}  // namespace parley::client
