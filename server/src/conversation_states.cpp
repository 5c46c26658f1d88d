#include "conversation_states.hpp"

#include "parley/error_codes.hpp"

namespace parley::server {

using protocol::ConversationState;

std::variant<protocol::StateUpdate, protocol::Error> ConversationStates::change(
    const std::string& room, const std::string& user, ConversationState to,
    const std::string& reason, std::int64_t now_ms) {
  std::lock_guard lock(mutex_);
  Entry& e = rooms_[room];
  if (!protocol::can_change(e.state, to)) {
    std::string allowed;
    for (ConversationState s : protocol::next_states(e.state)) {
      allowed += allowed.empty() ? "" : ", ";
      allowed += protocol::to_string(s);
    }
    return protocol::Error{error_codes::invalid_transition,
                           std::string(protocol::to_string(e.state)) + " cannot change to " +
                               protocol::to_string(to) + "; from " +
                               protocol::to_string(e.state) + ": " +
                               (allowed.empty() ? "nothing (the conversation ended)" : allowed),
                           room, 0};
  }
  protocol::StateUpdate u{room, protocol::to_string(to), protocol::to_string(e.state), user,
                          reason, now_ms};
  e.state = to;
  e.last = u;
  return u;
}

std::optional<protocol::StateUpdate> ConversationStates::current(const std::string& room) const {
  std::lock_guard lock(mutex_);
  auto it = rooms_.find(room);
  if (it == rooms_.end() || it->second.state == ConversationState::idle) return std::nullopt;
  return it->second.last;
}

ConversationState ConversationStates::state(const std::string& room) const {
  std::lock_guard lock(mutex_);
  auto it = rooms_.find(room);
  return it == rooms_.end() ? ConversationState::idle : it->second.state;
}

void ConversationStates::forget(const std::string& room) {
  std::lock_guard lock(mutex_);
  rooms_.erase(room);
}

}  // namespace parley::server
