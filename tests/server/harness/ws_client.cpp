#include "ws_client.hpp"

#include <boost/asio/buffer.hpp>
#include <boost/asio/ip/address.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/buffers_to_string.hpp>
#include <boost/beast/websocket/error.hpp>

namespace parley::itest {

namespace beast = boost::beast;
namespace net = boost::asio;
namespace websocket = beast::websocket;
using tcp = net::ip::tcp;

namespace {

std::string what(const beast::error_code& ec) { return ec.message() + " [" + ec.category().name() + "]"; }

}  // namespace

std::string describe(const protocol::Message& m) { return protocol::encode(m); }

std::chrono::milliseconds WsClient::remaining(std::chrono::steady_clock::time_point until) {
  const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
      until - std::chrono::steady_clock::now());
  return left > 0ms ? left : 0ms;
}

WsClient::WsClient(std::uint16_t port, std::string_view target,
                   std::chrono::milliseconds deadline)
    : ws_(ioc_) {
  const tcp::endpoint endpoint(net::ip::make_address("127.0.0.1"), port);
  beast::error_code ec;
  beast::get_lowest_layer(ws_).expires_after(deadline);
  beast::get_lowest_layer(ws_).async_connect(endpoint, [&](beast::error_code e) { ec = e; });
  run();
  if (ec) throw HarnessError("connect to port " + std::to_string(port) + ": " + what(ec));

  const std::string host = "127.0.0.1:" + std::to_string(port);
  beast::get_lowest_layer(ws_).expires_after(deadline);
  ws_.async_handshake(host, std::string(target), [&](beast::error_code e) { ec = e; });
  run();
  if (ec) throw HarnessError("websocket handshake: " + what(ec));
}

WsClient::~WsClient() {
  // Closing is best effort and bounded: the server may already be gone.
  if (!ws_.is_open()) return;
  beast::get_lowest_layer(ws_).expires_after(2s);
  ws_.async_close(websocket::close_code::normal, [](beast::error_code) {});
  run();
}

void WsClient::run() {
  ioc_.restart();
  ioc_.run();
}

void WsClient::write(std::string_view payload, bool binary) {
  beast::error_code ec;
  ws_.binary(binary);
  beast::get_lowest_layer(ws_).expires_after(kDefaultDeadline);
  ws_.async_write(net::buffer(payload.data(), payload.size()),
                  [&](beast::error_code e, std::size_t) { ec = e; });
  run();
  if (ec) throw HarnessError("websocket write: " + what(ec));
}

Frame WsClient::send_text_expecting_close(std::string_view payload,
                                          std::chrono::milliseconds deadline) {
  beast::error_code read_ec;
  buffer_.clear();
  ws_.text(true);
  beast::get_lowest_layer(ws_).expires_after(deadline);
  ws_.async_read(buffer_, [&](beast::error_code e, std::size_t) { read_ec = e; });
  ws_.async_write(net::buffer(payload.data(), payload.size()),
                  [](beast::error_code, std::size_t) {});
  run();
  Frame f;
  if (!read_ec) {
    f.data = beast::buffers_to_string(buffer_.data());
    throw HarnessError("expected the server to close, got a frame: " + f.data.substr(0, 200));
  }
  if (read_ec == beast::error::timeout) throw HarnessError("server did not close in time");
  f.closed = true;
  f.close_error = what(read_ec);
  // The close frame's code counts even when the closing handshake's teardown then
  // fails (a server closing on an unread frame may reset the link).
  f.close_code = ws_.reason().code;
  return f;
}

Frame WsClient::read_frame(std::chrono::milliseconds deadline) {
  beast::error_code ec;
  buffer_.clear();
  beast::get_lowest_layer(ws_).expires_after(deadline);
  ws_.async_read(buffer_, [&](beast::error_code e, std::size_t) { ec = e; });
  run();

  Frame f;
  if (ec == beast::error::timeout) {
    throw HarnessError("no frame from the server within " + std::to_string(deadline.count()) +
                       " ms");
  }
  if (ec) {
    f.closed = true;
    f.close_error = what(ec);
    f.close_code = ws_.reason().code;
    return f;
  }
  f.binary = ws_.got_binary();
  f.data = beast::buffers_to_string(buffer_.data());
  return f;
}

protocol::Message WsClient::read(std::chrono::milliseconds deadline) {
  Frame f = read_frame(deadline);
  if (f.closed) {
    throw HarnessError("connection closed (code " + std::to_string(f.close_code) + ", " +
                       f.close_error + ")");
  }
  if (f.binary) throw HarnessError("unexpected binary frame from the server");
  protocol::DecodeResult r = protocol::decode(f.data);
  if (!r.ok()) {
    throw HarnessError("undecodable frame from the server (" + r.error.code + ": " +
                       r.error.message + "): " + f.data);
  }
  return std::move(*r.value);
}

Frame WsClient::read_until_closed(std::chrono::milliseconds deadline) {
  const auto until = std::chrono::steady_clock::now() + deadline;
  for (;;) {
    Frame f = read_frame(remaining(until));
    if (f.closed) return f;
  }
}

void WsClient::expect_pong(std::uint64_t nonce, std::vector<protocol::Message>* skipped) {
  send(protocol::Ping{nonce});
  const auto until = std::chrono::steady_clock::now() + kDefaultDeadline;
  for (;;) {
    protocol::Pong pong = read_until<protocol::Pong>(skipped, remaining(until));
    if (pong.nonce == nonce) return;
    if (skipped != nullptr) skipped->push_back(pong);
  }
}

}  // namespace parley::itest
