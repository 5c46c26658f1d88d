#include "websocket_session.hpp"

#include <boost/asio/post.hpp>
#include <string_view>

#include "frames.hpp"
#include "log.hpp"
#include "parley/error_codes.hpp"

namespace parley::server {

namespace beast = boost::beast;
namespace websocket = beast::websocket;
namespace net = boost::asio;

WebSocketSession::WebSocketSession(net::ip::tcp::socket&& socket, ServerContext& ctx)
    : ws_(std::move(socket)), ctx_(ctx), close_deadline_(ws_.get_executor()) {
  ++ctx_.connections;
}

WebSocketSession::~WebSocketSession() { --ctx_.connections; }

void WebSocketSession::run(beast::http::request<beast::http::string_body> req) {
  // The HTTP read timeout no longer applies; the WebSocket's own timeouts take over.
  beast::get_lowest_layer(ws_).expires_never();
  auto timeouts = websocket::stream_base::timeout::suggested(beast::role_type::server);
  // A peer that sends nothing for two heartbeat intervals is dead. Beast pings it half way,
  // so an idle but live browser tab stays connected.
  timeouts.idle_timeout = std::chrono::milliseconds(2 * ctx_.config.heartbeat_ms);
  timeouts.keep_alive_pings = true;
  ws_.set_option(timeouts);
  ws_.set_option(websocket::stream_base::decorator([](websocket::response_type& res) {
    res.set(beast::http::field::server, "parley/" PARLEY_VERSION);
  }));
  ws_.read_message_max(ctx_.config.hard_frame_bytes);
  ws_.text(true);
  ws_.async_accept(req, beast::bind_front_handler(&WebSocketSession::on_accept,
                                                  shared_from_this()));
}

void WebSocketSession::on_accept(beast::error_code ec) {
  if (ec) return fail(ec, "websocket accept");
  do_read();
}

void WebSocketSession::do_read() {
  ws_.async_read(buffer_, beast::bind_front_handler(&WebSocketSession::on_read,
                                                    shared_from_this()));
}

void WebSocketSession::on_read(beast::error_code ec, std::size_t) {
  if (ec) {
    fail(ec, "websocket read");
    return finish();
  }
  auto data = buffer_.cdata();
  std::string_view frame(static_cast<const char*>(data.data()), data.size());
  try {
    ctx_.chat.on_frame(shared_from_this(), state_, frame, ws_.got_binary());
  } catch (const std::exception& e) {
    // A frame that trips a bug is answered and logged; the connection and the server go on.
    log_line(std::string("websocket frame failed: ") + e.what());
    deliver(error_frame(parley::error_codes::internal, "the frame could not be handled", ""));
  }
  buffer_.consume(buffer_.size());
  do_read();
}

void WebSocketSession::deliver(Frame frame) {
  net::post(ws_.get_executor(), [self = shared_from_this(), frame = std::move(frame)]() mutable {
    self->queue(std::move(frame));
  });
}

void WebSocketSession::queue(Frame frame) {
  if (closed_ || close_pending_) return;
  if (queue_.size() >= ctx_.config.send_queue_frames ||
      queued_bytes_ + frame->size() > ctx_.config.send_queue_bytes) {
    log_line("closing a connection that fell behind: " + std::to_string(queue_.size()) +
             " frames queued");
    // Keep only the frame being written; the peer recovers what it missed on rejoin.
    while (queue_.size() > (writing_ ? 1u : 0u)) {
      queued_bytes_ -= queue_.back()->size();
      queue_.pop_back();
    }
    close_code_ = websocket::close_code::policy_error;
    close_pending_ = true;
    arm_close_deadline();
    if (!writing_) do_close();
    return;
  }
  queued_bytes_ += frame->size();
  queue_.push_back(std::move(frame));
  if (!writing_) do_write();
}

void WebSocketSession::do_write() {
  writing_ = true;
  ws_.async_write(net::buffer(*queue_.front()),
                  beast::bind_front_handler(&WebSocketSession::on_write, shared_from_this()));
}

void WebSocketSession::on_write(beast::error_code ec, std::size_t) {
  writing_ = false;
  if (ec) {
    fail(ec, "websocket write");
    closed_ = true;
    return finish();
  }
  queued_bytes_ -= queue_.front()->size();
  queue_.pop_front();
  if (close_pending_) return do_close();
  if (!queue_.empty()) do_write();
}

void WebSocketSession::close(websocket::close_code code) {
  net::post(ws_.get_executor(), [self = shared_from_this(), code] {
    if (self->closed_ || self->close_pending_) return;
    self->close_code_ = code;
    self->close_pending_ = true;
    self->arm_close_deadline();
    if (!self->writing_) self->do_close();
  });
}

void WebSocketSession::do_close() {
  if (closed_) return;
  closed_ = true;
  queue_.clear();
  queued_bytes_ = 0;
  ws_.async_close(close_code_, [self = shared_from_this()](beast::error_code ec) {
    if (ec) fail(ec, "websocket close");
    self->finish();
  });
}

void WebSocketSession::arm_close_deadline() {
  close_deadline_.expires_after(std::chrono::seconds(2));
  close_deadline_.async_wait([self = shared_from_this()](beast::error_code ec) {
    if (ec || self->finished_) return;
    beast::error_code ignored;
    beast::get_lowest_layer(self->ws_).socket().shutdown(net::ip::tcp::socket::shutdown_both, ignored);
    beast::get_lowest_layer(self->ws_).socket().close(ignored);
  });
}

void WebSocketSession::finish() {
  if (finished_) return;
  finished_ = true;
  close_deadline_.cancel();
  ctx_.chat.on_close(this, state_);
}

}  // namespace parley::server
