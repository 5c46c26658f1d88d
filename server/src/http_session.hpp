// One HTTP connection: serves GET /health and the web client's files, the REST API, and
// hands an upgrade request for /ws to a WebSocketSession. A request over the limits is
// answered with its status before the connection closes: 431 (headers over 16 KiB), 413
// (body over 64 KiB), 408 (no complete request within --http-read-timeout-ms, 30 s by
// default), 400 (not HTTP/1.x).
#pragma once

#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <array>
#include <chrono>
#include <memory>
#include <string_view>
#include <optional>

#include "server_context.hpp"

namespace parley::server {

class HttpSession : public std::enable_shared_from_this<HttpSession> {
 public:
  HttpSession(boost::asio::ip::tcp::socket&& socket, ServerContext& ctx);
  void run();

 private:
  void do_read();
  void on_read(boost::beast::error_code ec, std::size_t bytes);
  void send(boost::beast::http::message_generator&& response, bool keep_alive);
  void on_write(bool keep_alive, boost::beast::error_code ec, std::size_t bytes);
  void do_close();
  // Answers a request that could not be read, then closes the connection.
  void refuse(boost::beast::http::status status, std::string_view code, std::string_view why);
  void drain();

  boost::beast::tcp_stream stream_;
  boost::beast::flat_buffer buffer_;
  ServerContext& ctx_;
  std::optional<boost::beast::http::request_parser<boost::beast::http::string_body>> parser_;
  boost::asio::steady_timer read_deadline_;
  bool timed_out_ = false;
  std::array<char, 4096> discard_{};

 public:
  static constexpr std::size_t kHeaderLimit = 16 * 1024;
  static constexpr std::size_t kBodyLimit = 64 * 1024;
};

}  // namespace parley::server
