// Every room's conversation state (seed document 004), in memory: a restart starts each
// room at idle. Changes are checked against the transition table; thread-safe.
#pragma once

#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <variant>

#include "parley/conversation_state.hpp"
#include "parley/protocol.hpp"

namespace parley::server {

class ConversationStates {
 public:
  // Changes `room` to `to` when the table allows it: the update to broadcast, or the
  // error to answer with (invalid_transition, nothing changed).
  std::variant<protocol::StateUpdate, protocol::Error> change(const std::string& room,
                                                              const std::string& user,
                                                              protocol::ConversationState to,
                                                              const std::string& reason,
                                                              std::int64_t now_ms);
  // The room's state when it is not idle (what a joining client is told).
  std::optional<protocol::StateUpdate> current(const std::string& room) const;
  protocol::ConversationState state(const std::string& room) const;
  // The room was deleted: a new one of the same name starts at idle.
  void forget(const std::string& room);

 private:
  struct Entry {
    protocol::ConversationState state = protocol::ConversationState::idle;
    protocol::StateUpdate last;
  };
  mutable std::mutex mutex_;
  std::unordered_map<std::string, Entry> rooms_;
};

}  // namespace parley::server
