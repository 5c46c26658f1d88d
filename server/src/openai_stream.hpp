// Decodes the event payloads of a streamed OpenAI-compatible chat completion
// (POST /v1/chat/completions with "stream": true): text deltas, tool calls assembled
// from their fragments, the finish reason and token usage. Pure: no I/O.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace parley::server {

// One function call requested by the model.
struct ToolCall {
  std::string id{};
  std::string name{};
  std::string arguments{};  // JSON text exactly as the model sent it
};

// What a finished stream reported besides its text.
struct Completion {
  std::string finish_reason{};  // "stop", "length", "tool_calls", ...
  std::string model{};          // the model that answered, as the provider named it
  std::optional<std::uint64_t> prompt_tokens{};
  std::optional<std::uint64_t> completion_tokens{};
  std::optional<double> cost{};  // usage.cost, sent by some providers
  std::vector<ToolCall> tool_calls{};
};

// The outcome of one payload.
struct StreamStep {
  enum class Kind {
    progress,   // keep reading
    done,       // the stream is complete; completion() is final
    refused,    // the provider sent an error object; `error` holds its message
    malformed,  // the stream is unusable; `error` says why ("malformed stream: ...")
  };
  Kind kind = Kind::progress;
  std::string text{};   // text delta carried by this payload, possibly empty
  std::string error{};
};

class OpenAiStreamDecoder {
 public:
  // Most tool calls a single answer may carry; a larger index is treated as malformed.
  static constexpr std::size_t kMaxToolCalls = 128;

  // Consumes the `data` of one server-sent event. After a step other than progress,
  // the stream is over and further payloads are reported as malformed.
  StreamStep consume(std::string_view data);

  // The connection ended. A stream that reported a finish reason is complete even
  // without "[DONE]"; anything else ended early.
  StreamStep end_of_stream();

  // True once a finish reason has been seen.
  bool saw_finish() const { return !completion_.finish_reason.empty(); }
  bool over() const { return over_; }

  const Completion& completion() const { return completion_; }

 private:
  StreamStep finish();
  StreamStep malformed(std::string why);

  Completion completion_{};
  bool over_ = false;
};

}  // namespace parley::server
