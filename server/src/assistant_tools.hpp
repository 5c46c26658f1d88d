// The tools a model behind an OpenAI-compatible provider may call while answering in a
// room: their definitions (JSON-schema parameters) and running them. calculator and
// current_time need nothing but the call; the two searches read the store, so they run
// on the history worker.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "openai_stream.hpp"
#include "parley/history/history_store.hpp"

namespace parley::server {

// What one tool call gave: the text sent back to the model, and the step the room sees.
struct ToolRun {
  std::string content{};                             // the `tool` message's content
  std::string step_text{};                           // one line: "calculator: 6*7 = 42"
  nlohmann::json step = nlohmann::json::object();    // {"step":"tool","name",..,"result"|"error"}
  nlohmann::json sources = nlohmann::json::array();  // search hits, as a sources step lists them
};

// Where the searches may look: the room, messages before the prompt, and at most the
// last `history` of them (options.history; unset = no bound).
struct ToolScope {
  std::string room{};
  std::uint64_t before_seq = 0;
  std::optional<std::uint32_t> history{};
};

class AssistantTools {
 public:
  static constexpr std::uint32_t kHistoryHits = 5;
  static constexpr std::uint32_t kDocumentHits = 3;

  // [{"type":"function","function":{"name","description","parameters"}}, ...]
  static nlohmann::json definitions();

  // True for the tools that read the store (search_history, search_documents).
  static bool needs_store(const std::string& name);

  // Runs a tool that needs no store; unknown tools and arguments that are not a JSON
  // object give an error run. `now_ms` is the clock current_time reads.
  static ToolRun run(const ToolCall& call, std::int64_t now_ms);

  // Runs any tool; the searches read `store` (history worker thread only).
  static ToolRun run(const ToolCall& call, std::int64_t now_ms, history::HistoryStore& store,
                     const ToolScope& scope);
};

}  // namespace parley::server
