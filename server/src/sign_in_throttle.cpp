#include "sign_in_throttle.hpp"

#include <algorithm>
#include <cctype>

namespace parley::server {

std::string SignInThrottle::name_key(const std::string& name) {
  std::string key = "n:";
  for (const char c : name) key.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  return key;
}

SignInThrottle::Failures* SignInThrottle::find(const std::string& key, Clock::time_point now) {
  const auto it = failures_.find(key);
  if (it == failures_.end()) return nullptr;
  auto& f = it->second;
  while (!f.empty() && f.front() + limits_.window <= now) f.pop_front();
  if (f.empty()) {
    failures_.erase(it);
    return nullptr;
  }
  return &f;
}

std::chrono::milliseconds SignInThrottle::wait_for(Failures* f, std::uint32_t limit,
                                                   Clock::time_point now) const {
  using std::chrono::milliseconds;
  if (f == nullptr || limit == 0 || f->size() < limit) return milliseconds(0);
  // The failure that must leave the window before one more try fits.
  const auto until = (*f)[f->size() - limit] + limits_.window;
  return std::max(milliseconds(1), std::chrono::ceil<milliseconds>(until - now));
}

std::chrono::milliseconds SignInThrottle::wait(const std::string& name, const std::string& address,
                                               Clock::time_point now) {
  std::lock_guard lock(mutex_);
  return std::max(wait_for(find(name_key(name), now), limits_.per_name, now),
                  wait_for(find("a:" + address, now), limits_.per_address, now));
}

void SignInThrottle::record(const std::string& key, Clock::time_point now) {
  if (failures_.size() >= limits_.max_keys && !failures_.contains(key)) {
    // Forget what has left its window; if all is recent, the entry whose last failure
    // is oldest.
    std::erase_if(failures_, [&](const auto& kv) { return kv.second.back() + limits_.window <= now; });
    if (failures_.size() >= limits_.max_keys) {
      auto stalest = std::min_element(failures_.begin(), failures_.end(), [](const auto& a, const auto& b) {
        return a.second.back() < b.second.back();
      });
      failures_.erase(stalest);
    }
  }
  auto& f = failures_[key];
  f.push_back(now);
  // Only the newest failures up to the larger limit matter.
  const std::size_t keep = std::max<std::size_t>({limits_.per_name, limits_.per_address, 1});
  while (f.size() > keep) f.pop_front();
}

void SignInThrottle::failed(const std::string& name, const std::string& address,
                            Clock::time_point now) {
  std::lock_guard lock(mutex_);
  record(name_key(name), now);
  if (!address.empty()) record("a:" + address, now);
}

void SignInThrottle::succeeded(const std::string& name) {
  std::lock_guard lock(mutex_);
  failures_.erase(name_key(name));
}

}  // namespace parley::server
