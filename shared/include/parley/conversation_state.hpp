// A room's conversation state for voice front-ends (seed document 004): where the
// exchange between people and the assistant stands, and which changes are allowed.
//
//   idle             -> listening, ended
//   listening        -> processing, idle, error
//   processing       -> speaking, error, waiting_for_user
//   speaking         -> waiting_for_user, idle, error
//   waiting_for_user -> listening, idle, error
//   error            -> idle, ended
//   ended            -> (nothing)
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace parley::protocol {

enum class ConversationState { idle, listening, processing, speaking, waiting_for_user, error, ended };

inline constexpr ConversationState kAllConversationStates[] = {
    ConversationState::idle,     ConversationState::listening,        ConversationState::processing,
    ConversationState::speaking, ConversationState::waiting_for_user, ConversationState::error,
    ConversationState::ended};

const char* to_string(ConversationState s);
std::optional<ConversationState> conversation_state_from(std::string_view word);

// Whether `from` may change to `to` (the table above; staying put is not a change).
bool can_change(ConversationState from, ConversationState to);
// The states `from` may change to, in the table's order.
std::vector<ConversationState> next_states(ConversationState from);

}  // namespace parley::protocol
