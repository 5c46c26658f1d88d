// One WebSocket connection: reads frames and hands them to the chat service, writes
// queued frames one at a time. The send queue is bounded in frames and bytes; a peer that
// falls that far behind is closed (1008) rather than allowed to grow server memory.
#pragma once

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/websocket.hpp>
#include <deque>
#include <memory>

#include "peer_state.hpp"
#include "server_context.hpp"
#include "subscriber.hpp"

namespace parley::server {

class WebSocketSession : public Subscriber,
                         public std::enable_shared_from_this<WebSocketSession> {
 public:
  WebSocketSession(boost::asio::ip::tcp::socket&& socket, ServerContext& ctx);
  ~WebSocketSession() override;

  // Accepts the upgrade request and starts reading.
  void run(boost::beast::http::request<boost::beast::http::string_body> req);

  void deliver(Frame frame) override;
  // Closes the connection with `code` after the frame being written. Thread-safe.
  void close(boost::beast::websocket::close_code code);

 private:
  void on_accept(boost::beast::error_code ec);
  void do_read();
  void on_read(boost::beast::error_code ec, std::size_t bytes);
  void queue(Frame frame);
  void do_write();
  void on_write(boost::beast::error_code ec, std::size_t bytes);
  void do_close();
  // A close must not wait on a peer that reads nothing: past the deadline the socket is
  // shut, which ends the stuck write or close handshake.
  void arm_close_deadline();
  void finish();

  boost::beast::websocket::stream<boost::beast::tcp_stream> ws_;
  boost::beast::flat_buffer buffer_;
  ServerContext& ctx_;
  PeerState state_;
  std::deque<Frame> queue_;
  std::size_t queued_bytes_ = 0;
  bool writing_ = false;
  bool close_pending_ = false;
  bool closed_ = false;
  boost::beast::websocket::close_code close_code_ = boost::beast::websocket::close_code::normal;
  bool finished_ = false;
  boost::asio::steady_timer close_deadline_;
};

}  // namespace parley::server
