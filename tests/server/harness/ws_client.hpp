// A synchronous WebSocket client for integration tests. Every operation runs Beast's
// asynchronous form on a private io_context with a tcp_stream deadline, so a silent
// server makes the call throw instead of hanging the test.
#pragma once

#include <chrono>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>
#include <type_traits>
#include <variant>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/websocket/stream.hpp>

#include "parley/codec.hpp"
#include "parley/protocol.hpp"

namespace parley::itest {

using namespace std::chrono_literals;
inline constexpr std::chrono::milliseconds kDefaultDeadline = 10s;

// Thrown when the server does not behave as a test step needs (timeout, unexpected
// close, undecodable frame, an error while waiting for something else).
struct HarnessError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// One thing read from the connection: a data frame, or the end of the connection.
struct Frame {
  bool closed = false;                // the server closed the WebSocket (or the TCP link)
  std::uint16_t close_code = 0;       // close frame's code, 0 when none arrived
  std::string close_error;            // how the read ended when closed
  bool binary = false;
  std::string data;
};

class WsClient {
 public:
  // Connects to 127.0.0.1:port and completes the WebSocket handshake on `target`.
  explicit WsClient(std::uint16_t port, std::string_view target = "/ws",
                    std::chrono::milliseconds deadline = kDefaultDeadline);
  ~WsClient();
  WsClient(const WsClient&) = delete;
  WsClient& operator=(const WsClient&) = delete;

  void send(const protocol::Message& m) { send_text(protocol::encode(m)); }
  void send_text(std::string_view payload) { write(payload, false); }
  void send_binary(std::string_view payload) { write(payload, true); }
  // Writes a text frame the server is expected to refuse by closing, and returns how the
  // connection ended. The read runs alongside the write: the server may close before
  // it has read the whole frame, which can make the write itself fail.
  Frame send_text_expecting_close(std::string_view payload,
                                  std::chrono::milliseconds deadline = kDefaultDeadline);

  // Writes one masked text frame straight to the socket while reading the server's
  // frames, and returns when a close frame (or the end of the link) arrives. For frames
  // the server refuses before reading them: it may reset the link while the write is
  // still going, and Beast then drops the close frame it had already received. The
  // connection is unusable afterwards.
  Frame send_raw_text_until_closed(std::string_view payload,
                                   std::chrono::milliseconds deadline = kDefaultDeadline);

  Frame read_frame(std::chrono::milliseconds deadline = kDefaultDeadline);
  // Next frame decoded; throws on close, binary data or a decode failure.
  protocol::Message read(std::chrono::milliseconds deadline = kDefaultDeadline);

  // Reads until a T arrives and returns it. Frames read on the way are appended to
  // `skipped` when given. A protocol Error arriving first throws (unless T is Error).
  template <class T>
  T read_until(std::vector<protocol::Message>* skipped = nullptr,
               std::chrono::milliseconds deadline = kDefaultDeadline) {
    const auto until = std::chrono::steady_clock::now() + deadline;
    for (;;) {
      protocol::Message m = read(remaining(until));
      if (auto* hit = std::get_if<T>(&m)) return std::move(*hit);
      if constexpr (!std::is_same_v<T, protocol::Error>) {
        if (const auto* e = std::get_if<protocol::Error>(&m)) {
          throw HarnessError("server error '" + e->code + "' (" + e->message +
                             ") while waiting for another message");
        }
      }
      if (skipped != nullptr) skipped->push_back(std::move(m));
    }
  }

  // Reads until the server closes; returns the close code (0 when no close frame came).
  // Data frames on the way are ignored.
  Frame read_until_closed(std::chrono::milliseconds deadline = kDefaultDeadline);

  // Sends ping{nonce} and reads until pong{nonce}; throws if the link is gone.
  void expect_pong(std::uint64_t nonce, std::vector<protocol::Message>* skipped = nullptr);

  static std::chrono::milliseconds remaining(std::chrono::steady_clock::time_point until);

 private:
  void write(std::string_view payload, bool binary);
  void run();

  boost::asio::io_context ioc_;
  boost::beast::websocket::stream<boost::beast::tcp_stream> ws_;
  boost::beast::flat_buffer buffer_;
};

std::string describe(const protocol::Message& m);

}  // namespace parley::itest
