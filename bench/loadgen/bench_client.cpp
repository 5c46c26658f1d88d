#include "bench_client.hpp"

namespace parley::bench {

namespace beast = boost::beast;
namespace websocket = beast::websocket;

BenchClient::BenchClient(boost::asio::io_context& ioc, std::size_t index)
    : ws_(ioc), index_(index) {}

void BenchClient::connect(const boost::asio::ip::tcp::endpoint& at, std::function<void(bool)> done) {
  auto self = shared_from_this();
  beast::get_lowest_layer(ws_).expires_after(std::chrono::seconds(60));
  beast::get_lowest_layer(ws_).async_connect(at, [self, done, at](beast::error_code ec) {
    if (ec) return done(false);
    beast::get_lowest_layer(self->ws_).socket().set_option(boost::asio::ip::tcp::no_delay(true));
    self->ws_.async_handshake(at.address().to_string() + ":" + std::to_string(at.port()), "/ws",
                              [self, done](beast::error_code ec) {
                                if (ec) return done(false);
                                beast::get_lowest_layer(self->ws_).expires_never();
                                self->ws_.text(true);
                                self->open_ = true;
                                self->read();
                                done(true);
                              });
  });
}

void BenchClient::send(std::string frame) {
  if (!open_) return;
  queue_.push_back(std::move(frame));
  if (!writing_) write();
}

void BenchClient::write() {
  writing_ = true;
  ws_.async_write(boost::asio::buffer(queue_.front()),
                  [self = shared_from_this()](beast::error_code ec, std::size_t) {
                    self->writing_ = false;
                    if (ec) return self->closed();
                    self->queue_.pop_front();
                    if (!self->queue_.empty() && self->open_) self->write();
                  });
}

void BenchClient::read() {
  ws_.async_read(buffer_, [self = shared_from_this()](beast::error_code ec, std::size_t) {
    if (ec) return self->closed();
    const auto data = self->buffer_.cdata();
    if (self->on_frame)
      self->on_frame(*self, std::string_view(static_cast<const char*>(data.data()), data.size()));
    self->buffer_.consume(self->buffer_.size());
    if (self->open_) self->read();
  });
}

void BenchClient::close() {
  if (!open_) return;
  open_ = false;
  beast::error_code ignored;
  beast::get_lowest_layer(ws_).socket().shutdown(boost::asio::ip::tcp::socket::shutdown_both, ignored);
  beast::get_lowest_layer(ws_).socket().close(ignored);
}

void BenchClient::closed() {
  const bool was_open = open_;
  open_ = false;
  if (was_open && on_closed) on_closed(*this);
}

}  // namespace parley::bench
