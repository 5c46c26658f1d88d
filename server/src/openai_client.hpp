// Streams chat completions from an OpenAI-compatible provider (OpenAI, Ollama, vLLM,
// llama.cpp, OpenRouter, ...) over HTTP or HTTPS, without blocking a thread: text
// arrives as it is generated, followed by the finish reason, tool calls and usage.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/ssl/context.hpp>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "openai_stream.hpp"
#include "url.hpp"

namespace parley::server {

struct OpenAiConfig {
  std::string base_url{};  // e.g. "https://api.openai.com/v1", "http://127.0.0.1:11434/v1"
  std::string model{};
  std::string api_key{};  // empty: no Authorization header
  std::string ca_file{};  // optional extra CA (PEM) trusted for https
  std::chrono::milliseconds connect_timeout{10000};  // resolve + connect + TLS handshake
  std::chrono::milliseconds idle_timeout{60000};     // max silence between bytes
};

struct ChatRequest {
  nlohmann::json messages = nlohmann::json::array();  // OpenAI chat format
  nlohmann::json tools = nlohmann::json::array();  // [{"type":"function","function":{...}}]; may be empty
  std::string model{};                             // empty: the configured model
  std::optional<double> temperature{};
  std::optional<std::uint32_t> max_tokens{};
};

// Exactly one of on_done / on_error runs, once, unless the call is cancelled first.
// Callbacks run on the call's strand of the client's io_context, never inside stream().
struct StreamCallbacks {
  std::function<void(const std::string& text)> on_delta{};
  std::function<void(const Completion&)> on_done{};  // finish_reason "tool_calls" carries tool_calls
  // code: provider_unreachable, provider_timeout, provider_error, provider_malformed,
  // provider_refused.
  std::function<void(const std::string& code, const std::string& details)> on_error{};
};

// Handle of one streamed completion.
class OpenAiCall {
 public:
  virtual ~OpenAiCall() = default;
  // Thread-safe. Stops the call and closes its connection. Called from a callback or
  // from the io_context's thread, no callback runs afterwards. Called from another
  // thread, one callback that was already being invoked at that instant may still run.
  virtual void cancel() = 0;
};

class OpenAiClient {
 public:
  // Throws std::invalid_argument for a base_url that is not http(s)://host[:port][/path],
  // and boost::system::system_error when ca_file cannot be loaded.
  OpenAiClient(boost::asio::io_context& ioc, OpenAiConfig config);

  // Starts one streamed completion. Dropping the returned handle does not stop it.
  std::shared_ptr<OpenAiCall> stream(ChatRequest request, StreamCallbacks cb);

  // The JSON body sent for a request (exposed for tests and logging).
  std::string request_body(const ChatRequest& request) const;

  const OpenAiConfig& config() const { return config_; }

 private:
  boost::asio::io_context& ioc_;
  OpenAiConfig config_;
  ParsedUrl url_;
  std::shared_ptr<boost::asio::ssl::context> tls_;  // null for plain http
};

}  // namespace parley::server
