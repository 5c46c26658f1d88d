#include "account_names.hpp"

#include <cctype>

namespace parley::server {

std::string AccountNames::key(const std::string& name) {
  std::string k = name;
  for (char& c : k) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return k;
}

void AccountNames::add(const std::string& name) {
  std::lock_guard lock(mutex_);
  names_.insert(key(name));
}

void AccountNames::add_all(const std::vector<std::string>& names) {
  std::lock_guard lock(mutex_);
  for (const auto& n : names) names_.insert(key(n));
}

bool AccountNames::contains(const std::string& name) const {
  std::lock_guard lock(mutex_);
  return names_.contains(key(name));
}

}  // namespace parley::server
