// Drives assistant replies: stores a reply's row first (so the reply owns its position
// before the first token), streams its pieces on timers off the network threads' critical
// path, checkpoints the growing text to the store, and ends the reply with an end event
// of its own position. Replies keep going when their requester disconnects. On shutdown
// every reply still running is stored as interrupted with its text so far; after a crash
// the last checkpoint survives and the next start ends it as interrupted.
//
// The words come from the built-in assistant, or from an OpenAI-compatible provider
// (ProviderGeneration) when the runner is given one.
#pragma once

#include <atomic>
#include <map>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <random>
#include <string>

#include <boost/asio/io_context.hpp>

#include "builtin_assistant.hpp"
#include "fanout.hpp"
#include "history_worker.hpp"
#include "live_generations.hpp"
#include "openai_client.hpp"
#include "reminder_scheduler.hpp"

namespace parley::server {

class ProviderGeneration;

class AssistantRunner {
 public:
  // With `provider`, replies come from that OpenAI-compatible server (throws like
  // OpenAiClient's constructor for a bad base URL or CA file); without, from the
  // built-in assistant.
  AssistantRunner(boost::asio::io_context& ioc, HistoryWorker& history, Fanout& fanout,
                  LiveGenerations& live, unsigned delay_ms, unsigned checkpoint_ms,
                  std::optional<OpenAiConfig> provider = std::nullopt);
  ~AssistantRunner();

  // Starts a reply to a stored user message, shaped by the sender's options (already
  // checked): max_tokens cuts the reply, history bounds what the assistant looks at.
  // Thread-safe.
  void respond(const protocol::ChatMessage& prompt, const protocol::GenerationOptions& options = {});

  // Stops the running generation `gen_id` of `room`: its text so far is kept and it ends
  // as stopped. False when no such generation is running there.
  bool stop(const std::string& room, const std::string& gen_id);

  // Ends every running reply as interrupted and queues its final state for storage.
  // After this, respond() does nothing.
  void stop_all();

  std::size_t running() const { return running_.load(); }

  // The model replies come from when a request names none, and whether a request may
  // name `model` (with a provider: any name up to 128 bytes; the provider decides).
  std::string default_model() const;
  bool serves_model(const std::string& model) const;

 private:
  struct Stream;
  void begin_stream(std::shared_ptr<Stream> s);
  void step(std::shared_ptr<Stream> s);
  void checkpoint(const std::shared_ptr<Stream>& s);
  void end(const std::shared_ptr<Stream>& s, protocol::MessageStatus status);
  // Ends a generation once (later calls do nothing): stores its text so far with
  // `status` and `figures` (duration_ms added; token counts filled in when missing),
  // then publishes the end.
  void finish(const std::string& gen_id, const std::string& room, std::uint64_t seq,
              protocol::MessageStatus status, nlohmann::json figures);
  // Stores the built-in reply's row and the plan's steps (on the history worker) and
  // returns what starts its stream; a reminder it set is scheduled then.
  HistoryWorker::Continuation store_reply(const std::shared_ptr<Stream>& s,
                                          const history::NewMessage& row,
                                          const protocol::ChatMessage& prompt,
                                          const protocol::GenerationOptions& options,
                                          const ReplyPlan& plan, history::HistoryStore& store,
                                          std::optional<history::Reminder> reminder);
  void respond_with_provider(const protocol::ChatMessage& prompt,
                             const protocol::GenerationOptions& options);
  std::shared_ptr<ProviderGeneration> provider_generation(const std::string& gen_id);
  std::string new_gen_id();

  boost::asio::io_context& ioc_;
  HistoryWorker& history_;
  Fanout& fanout_;
  LiveGenerations& live_;
  unsigned delay_ms_;
  unsigned checkpoint_ms_;
  BuiltinAssistant assistant_;
  ReminderScheduler reminders_;
  std::unique_ptr<OpenAiClient> provider_;  // null: the built-in assistant answers
  std::mutex generations_mutex_;
  std::map<std::string, std::shared_ptr<ProviderGeneration>> generations_;  // by gen_id
  std::atomic<bool> stopped_{false};
  std::atomic<std::size_t> running_{0};
  std::mutex rng_mutex_;
  std::mt19937_64 rng_{std::random_device{}()};
};

}  // namespace parley::server
