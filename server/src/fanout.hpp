// Fan-out of room events to the room's live subscribers. In-process by default
// (LocalFanout); the interface is small so a cross-node bus (Redis) can stand behind it.
// A frame is encoded once by the publisher and the same buffer goes to every subscriber.
#pragma once

#include <cstddef>
#include <memory>
#include <string>

#include "subscriber.hpp"

namespace parley::server {

class Fanout {
 public:
  virtual ~Fanout() = default;
  virtual void subscribe(const std::string& room, const std::shared_ptr<Subscriber>& s) = 0;
  virtual void unsubscribe(const std::string& room, const Subscriber* s) = 0;
  virtual void unsubscribe_all(const Subscriber* s) = 0;
  // Forgets every subscriber of `room` (the room was deleted).
  virtual void drop_room(const std::string& room) = 0;
  // Delivers `frame` to every subscriber of `room`; frames published to one room from
  // one thread arrive in publication order.
  virtual void publish(const std::string& room, const Frame& frame) = 0;
  virtual std::size_t room_count() const = 0;
};

}  // namespace parley::server
