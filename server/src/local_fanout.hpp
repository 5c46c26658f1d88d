// In-process Fanout: a registry of weak subscriber pointers per room under one mutex.
// publish() copies the room's pointers under the lock and delivers after releasing it.
#pragma once

#include <map>
#include <mutex>
#include <vector>

#include "fanout.hpp"

namespace parley::server {

class LocalFanout final : public Fanout {
 public:
  void subscribe(const std::string& room, const std::shared_ptr<Subscriber>& s) override;
  void unsubscribe(const std::string& room, const Subscriber* s) override;
  void unsubscribe_all(const Subscriber* s) override;
  void drop_room(const std::string& room) override;
  void publish(const std::string& room, const Frame& frame) override;
  std::size_t room_count() const override;

 private:
  struct Member {
    const Subscriber* key;
    std::weak_ptr<Subscriber> ptr;
  };
  mutable std::mutex mutex_;
  std::map<std::string, std::vector<Member>, std::less<>> rooms_;
};

}  // namespace parley::server
