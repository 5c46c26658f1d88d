// Encoding a protocol message once into a frame that any number of connections send.
#pragma once

#include <memory>
#include <string>

#include "parley/codec.hpp"
#include "subscriber.hpp"

namespace parley::server {

inline Frame frame_of(const protocol::Message& m) {
  return std::make_shared<const std::string>(protocol::encode(m));
}

// An error frame for one recipient.
inline Frame error_frame(const char* code, std::string message, std::string ref = {}) {
  return frame_of(protocol::Error{code, std::move(message), std::move(ref), 0});
}

}  // namespace parley::server
