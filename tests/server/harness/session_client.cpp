#include "session_client.hpp"

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/buffers_to_string.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/websocket/stream.hpp>

namespace parley::itest {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace websocket = beast::websocket;
using tcp = net::ip::tcp;

std::int64_t steady_ms() {
  using namespace std::chrono;
  return duration_cast<milliseconds>(steady_clock::now().time_since_epoch()).count();
}

// One connection attempt's socket; a new one for every attempt, so callbacks of a dead
// link can tell they are stale.
struct SessionClient::Link {
  explicit Link(net::io_context& ioc) : ws(ioc) {}
  websocket::stream<beast::tcp_stream> ws;
  beast::flat_buffer buffer;
  bool open = false;
  bool dead = false;
};

SessionClient::SessionClient(net::io_context& ioc, std::function<std::uint16_t()> port,
                             const std::string& name, std::uint64_t seed)
    : ioc_(ioc),
      port_(std::move(port)),
      rng_(seed),
      name_(name),
      session_(
          [] {
            client::SessionOptions o;
            o.backoff = client::BackoffParams{20, 200};  // quick retries for tests
            o.stable_after_ms = 2000;
            o.connect_timeout_ms = 5000;
            return o;
          }(),
          [this] {
            std::string id = name_;
            id += "-";
            id += std::to_string(++ids_);
            return id;
          },
          [this] { return std::uniform_real_distribution<double>(0.0, 1.0)(rng_); }) {
  session_.start(name);
}

SessionClient::~SessionClient() {
  if (link_) {
    link_->dead = true;
    beast::error_code ignored;
    beast::get_lowest_layer(link_->ws).socket().close(ignored);
  }
}

bool SessionClient::connected() const {
  return session_.connection() == client::ConnectionState::connected;
}

void SessionClient::cut() {
  if (!link_ || !link_->open) return;
  ++cuts_;
  beast::error_code ignored;
  beast::get_lowest_layer(link_->ws).socket().close(ignored);  // the read fails next
}

void SessionClient::open(std::int64_t now_ms) {
  if (link_) link_->dead = true;
  link_ = std::make_shared<Link>(ioc_);
  auto link = link_;
  beast::error_code ec;
  tcp::endpoint ep(net::ip::make_address("127.0.0.1"), port_());
  beast::get_lowest_layer(link->ws).socket().connect(ep, ec);
  if (!ec) link->ws.handshake("127.0.0.1", "/ws", ec);
  if (ec) {
    link->dead = true;
    session_.on_disconnected(now_ms, ec.message());
    return;
  }
  link->open = true;
  session_.on_connected(now_ms);
  read_next();
}

void SessionClient::read_next() {
  auto link = link_;
  link->ws.async_read(link->buffer, [this, link](beast::error_code ec, std::size_t) {
    if (link->dead) return;
    if (ec) {
      link->dead = true;
      link->open = false;
      session_.on_disconnected(steady_ms(), ec.message());
      return;
    }
    const std::string text = beast::buffers_to_string(link->buffer.data());
    link->buffer.consume(link->buffer.size());
    session_.on_frame(steady_ms(), text);
    flush();
    read_next();
  });
}

void SessionClient::flush() {
  for (const std::string& frame : session_.take_outbox()) {
    if (!link_ || !link_->open || link_->dead) continue;
    beast::error_code ec;
    link_->ws.write(net::buffer(frame), ec);
    if (ec) cut();  // the read side reports the loss to the session
  }
}

void SessionClient::step(std::int64_t now_ms) {
  session_.tick(now_ms);
  if (session_.take_close_request()) {
    if (link_) {
      link_->dead = true;
      beast::error_code ignored;
      beast::get_lowest_layer(link_->ws).socket().close(ignored);
    }
  }
  if (session_.take_connect_request(now_ms)) open(now_ms);
  flush();
}

}  // namespace parley::itest
