// One WebSocket connection of the load generator: connects, sends queued text frames one
// write at a time and hands every frame it receives to `on_frame`. Single-threaded: all of
// a run's clients share one io_context.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/websocket.hpp>
#include <deque>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

namespace parley::bench {

class BenchClient : public std::enable_shared_from_this<BenchClient> {
 public:
  using FrameHandler = std::function<void(BenchClient&, std::string_view)>;

  BenchClient(boost::asio::io_context& ioc, std::size_t index);

  // Opens the TCP connection and the WebSocket at /ws; `done(ok)` follows.
  void connect(const boost::asio::ip::tcp::endpoint& at, std::function<void(bool)> done);
  void send(std::string frame);
  void close();

  std::size_t index() const { return index_; }
  bool is_open() const { return open_; }
  std::size_t queued() const { return queue_.size(); }

  FrameHandler on_frame;
  std::function<void(BenchClient&)> on_closed;

 private:
  void read();
  void write();
  void closed();

  boost::beast::websocket::stream<boost::beast::tcp_stream> ws_;
  boost::beast::flat_buffer buffer_;
  std::deque<std::string> queue_;
  std::size_t index_;
  bool writing_ = false;
  bool open_ = false;
};

}  // namespace parley::bench
