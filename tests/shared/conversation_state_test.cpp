// The conversation state machine's transition table, every pair of states.
#include "parley/conversation_state.hpp"

#include <gtest/gtest.h>

#include <map>
#include <set>
#include <string>

namespace parley::protocol {
namespace {

TEST(ConversationState, ExactlyTheTransitionsOfTheTable) {
  const std::map<std::string, std::set<std::string>> table = {
      {"idle", {"listening", "ended"}},
      {"listening", {"processing", "idle", "error"}},
      {"processing", {"speaking", "error", "waiting_for_user"}},
      {"speaking", {"waiting_for_user", "idle", "error"}},
      {"waiting_for_user", {"listening", "idle", "error"}},
      {"error", {"idle", "ended"}},
      {"ended", {}},
  };
  int allowed = 0;
  for (ConversationState from : kAllConversationStates) {
    for (ConversationState to : kAllConversationStates) {
      const bool expected = table.at(to_string(from)).contains(to_string(to));
      EXPECT_EQ(can_change(from, to), expected) << to_string(from) << " -> " << to_string(to);
      allowed += expected ? 1 : 0;
    }
  }
  EXPECT_EQ(allowed, 16);
}

TEST(ConversationState, WordsRoundTripAndUnknownOnesAreRefused) {
  for (ConversationState s : kAllConversationStates) EXPECT_EQ(conversation_state_from(to_string(s)), s);
  EXPECT_FALSE(conversation_state_from("LISTENING"));
  EXPECT_FALSE(conversation_state_from(""));
}

}  // namespace
}  // namespace parley::protocol
