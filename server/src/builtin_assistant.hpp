// The built-in assistant's replies: deterministic, no network, honest about what it is.
// Later providers (retrieval, tools, OpenAI-compatible) produce text through the same
// runner; this one only composes it.
#pragma once

#include <string>
#include <vector>

#include "parley/history/history_store.hpp"
#include "parley/protocol.hpp"

namespace parley::server {

// A piece of visible work before the reply's words: `text` a one-line summary, `data`
// the details as a JSON object (docs/protocol.md, "step").
struct PlannedStep {
  std::string text;
  std::string data;
};

struct ReplyPlan {
  std::vector<PlannedStep> steps;  // empty when no tool applied
  std::string reply;
};

class BuiltinAssistant {
 public:
  static constexpr const char* kName = "Parley";
  static constexpr const char* kModel = "parley-builtin-1";

  // The whole reply to `prompt` when no tool applies. Same input, same reply.
  std::string compose_reply(const protocol::ChatMessage& prompt) const;

  // The words to search the room's history for when the message asks for a search
  // ("search for the deploy date", "find lunch", "what did bob mention earlier about
  // tickets?"): lower-case, without common words, at most 8; empty when it asks for none.
  static std::vector<std::string> search_terms(const std::string& text);
  // The words of any message worth looking up in the room's documents: lower-case, at
  // least 3 letters, without common words, at most 8.
  static std::vector<std::string> question_terms(const std::string& text);

  // The reply with the work behind it: the calculator for arithmetic in the message,
  // the clock for a question about the time or date, and the room's history search
  // (whose results the caller found with search_terms()) — each a step the room sees —
  // and a reply composed from what they returned, saying plainly when nothing was found.
  // Passages of the room's documents that match the question (`passages`, found with
  // question_terms()) are read too: a document search step, their sources, and the
  // reply quotes them.
  ReplyPlan plan(const protocol::ChatMessage& prompt, const std::vector<history::SearchHit>& hits,
                 std::int64_t now_ms,
                 const std::vector<history::PassageHit>& passages = {}) const;

  // Splits a reply into the pieces it streams as: each word with the white space that
  // follows it. Concatenating the pieces gives the text back exactly; pieces never
  // split a UTF-8 sequence.
  static std::vector<std::string> tokenize(const std::string& text);
};

}  // namespace parley::server
