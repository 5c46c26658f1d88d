// The built-in assistant's replies: deterministic, no network, honest about what it is.
// Later providers (retrieval, tools, OpenAI-compatible) produce text through the same
// runner; this one only composes it.
#pragma once

#include <string>
#include <vector>

#include "parley/protocol.hpp"

namespace parley::server {

class BuiltinAssistant {
 public:
  static constexpr const char* kName = "Parley";
  static constexpr const char* kModel = "parley-builtin-1";

  // The whole reply to `prompt`. Same input, same reply.
  std::string compose_reply(const protocol::ChatMessage& prompt) const;

  // Splits a reply into the pieces it streams as: each word with the white space that
  // follows it. Concatenating the pieces gives the text back exactly; pieces never
  // split a UTF-8 sequence.
  static std::vector<std::string> tokenize(const std::string& text);
};

}  // namespace parley::server
