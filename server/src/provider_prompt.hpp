// The conversation sent to an OpenAI-compatible provider for one reply: a system message,
// the room's recent messages before the question, then the question. People's messages
// carry their author ("ann: text") since several people talk in a room.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "parley/protocol.hpp"

namespace parley::server {

class ProviderPrompt {
 public:
  // Earlier room events read for context when the request's options name no number.
  static constexpr std::uint32_t kDefaultHistory = 20;

  // How many earlier events to read for `options`.
  static std::uint32_t history_limit(const protocol::GenerationOptions& options);

  // The system message used when the request gives none.
  static std::string default_system(const std::string& room);

  // OpenAI chat messages answering `prompt`, with `earlier` (ascending, before the
  // prompt) as context: events other than people's messages and finished replies are
  // left out, and so are replies still being written.
  static nlohmann::json messages(const protocol::ChatMessage& prompt,
                                 const protocol::GenerationOptions& options,
                                 const std::vector<protocol::ChatMessage>& earlier);
};

}  // namespace parley::server
