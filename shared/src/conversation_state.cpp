#include "parley/conversation_state.hpp"

#include <algorithm>

namespace parley::protocol {

const char* to_string(ConversationState s) {
  switch (s) {
    case ConversationState::idle: return "idle";
    case ConversationState::listening: return "listening";
    case ConversationState::processing: return "processing";
    case ConversationState::speaking: return "speaking";
    case ConversationState::waiting_for_user: return "waiting_for_user";
    case ConversationState::error: return "error";
    case ConversationState::ended: return "ended";
  }
  return "idle";
}

std::optional<ConversationState> conversation_state_from(std::string_view word) {
  for (ConversationState s : kAllConversationStates)
    if (word == to_string(s)) return s;
  return std::nullopt;
}

std::vector<ConversationState> next_states(ConversationState from) {
  using S = ConversationState;
  switch (from) {
    case S::idle: return {S::listening, S::ended};
    case S::listening: return {S::processing, S::idle, S::error};
    case S::processing: return {S::speaking, S::error, S::waiting_for_user};
    case S::speaking: return {S::waiting_for_user, S::idle, S::error};
    case S::waiting_for_user: return {S::listening, S::idle, S::error};
    case S::error: return {S::idle, S::ended};
    case S::ended: return {};
  }
  return {};
}

bool can_change(ConversationState from, ConversationState to) {
  const auto next = next_states(from);
  return std::find(next.begin(), next.end(), to) != next.end();
}

}  // namespace parley::protocol
