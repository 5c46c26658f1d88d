// The names that belong to accounts, kept in memory so a hello without a token can be
// refused for them at once: a registered name is only had with its password's token.
// Thread-safe.
#pragma once

#include <mutex>
#include <set>
#include <string>
#include <vector>

namespace parley::server {

class AccountNames {
 public:
  void add(const std::string& name);
  void add_all(const std::vector<std::string>& names);
  bool contains(const std::string& name) const;  // without regard to ASCII case

 private:
  static std::string key(const std::string& name);
  mutable std::mutex mutex_;
  std::set<std::string> names_;
};

}  // namespace parley::server
