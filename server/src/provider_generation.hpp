// One assistant reply written by an OpenAI-compatible provider: streams each answer's
// text into the live generation, runs the tools the model asks for (each call a step the
// room sees, searches on the history worker), asks again with their results, and reports
// how it ended. Provider I/O is asynchronous; nothing here blocks a network thread.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "assistant_tools.hpp"
#include "fanout.hpp"
#include "history_worker.hpp"
#include "live_generations.hpp"
#include "openai_client.hpp"

namespace parley::server {

class ProviderGeneration : public std::enable_shared_from_this<ProviderGeneration> {
 public:
  // Rounds of tool calls one reply may make; a model asking for more ends the reply
  // with finish_reason "tool_rounds".
  static constexpr int kMaxToolRounds = 4;

  struct Reply {
    std::string gen_id{};
    std::string room{};
    std::string author{};
    std::uint64_t seq = 0;         // the reply's own position
    std::uint64_t prompt_seq = 0;  // the message it answers
    std::optional<std::uint32_t> history{};  // options.history: bounds search_history
    std::string model{};           // the model asked for
    std::uint64_t prompt_words = 0;  // prompt_tokens when the provider reports none
  };

  // Called at most once, when the generation ends by itself: its status and its figures
  // (model, prompt_tokens, completion_tokens, finish_reason, cost, error_code, error).
  using EndFn = std::function<void(protocol::MessageStatus, nlohmann::json)>;

  ProviderGeneration(OpenAiClient& client, HistoryWorker& history, Fanout& fanout,
                     LiveGenerations& live, Reply reply, ChatRequest request,
                     std::chrono::milliseconds checkpoint_every, EndFn end);

  // Sends the first request.
  void start();
  // Thread-safe. Cancels the call in flight and everything after it; no end is reported.
  void cancel();
  // The figures so far, for an end decided elsewhere (stop, shutdown).
  nlohmann::json figures(const std::string& finish_reason) const;

  const Reply& reply() const { return reply_; }

 private:
  void stream_round();
  void on_delta(const std::string& text);
  void on_done(const Completion& c);
  void on_error(const std::string& code, const std::string& details);
  void run_tools(const Completion& c);
  void tools_ran(const std::vector<protocol::ChatMessage>& steps, const nlohmann::json& messages);
  void finish(protocol::MessageStatus status, nlohmann::json figures);
  void checkpoint();
  bool over() const;
  nlohmann::json figures_locked(const std::string& finish_reason) const;

  OpenAiClient& client_;
  HistoryWorker& history_;
  Fanout& fanout_;
  LiveGenerations& live_;
  const Reply reply_;
  const std::chrono::milliseconds checkpoint_every_;
  EndFn end_;

  mutable std::mutex mutex_;
  ChatRequest request_{};  // grows by each round's tool calls and results
  std::shared_ptr<OpenAiCall> call_{};
  bool over_ = false;
  int tool_rounds_ = 0;
  std::string round_text_{};     // text of the answer being streamed
  std::size_t round_pieces_ = 0;  // its deltas
  std::optional<std::uint64_t> prompt_tokens_{};  // sums of the usage reported
  std::uint64_t completion_tokens_ = 0;           // reported, or pieces of unreported rounds
  std::optional<double> cost_{};
  std::string provider_model_{};
  std::chrono::steady_clock::time_point last_checkpoint_ = std::chrono::steady_clock::now();
};

}  // namespace parley::server
