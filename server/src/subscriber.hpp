// Something that receives encoded frames: a WebSocket session, or a test double.
#pragma once

#include <memory>
#include <string>

namespace parley::server {

using Frame = std::shared_ptr<const std::string>;

class Subscriber {
 public:
  virtual ~Subscriber() = default;
  // Queues one encoded frame for sending. Thread-safe; never blocks.
  virtual void deliver(Frame frame) = 0;
};

}  // namespace parley::server
