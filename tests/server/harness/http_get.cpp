#include "http_get.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/address.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>

#include "ws_client.hpp"

namespace parley::itest {

namespace beast = boost::beast;
namespace http = beast::http;
namespace net = boost::asio;
using tcp = net::ip::tcp;

HttpResponse http_get(std::uint16_t port, const std::string& target,
                      std::chrono::milliseconds deadline) {
  net::io_context ioc;
  beast::tcp_stream stream(ioc);
  beast::error_code ec;
  auto step = [&](const char* what) {
    ioc.restart();
    ioc.run();
    if (ec) throw HarnessError(std::string("http ") + what + " " + target + ": " + ec.message());
  };

  stream.expires_after(deadline);
  stream.async_connect(tcp::endpoint(net::ip::make_address("127.0.0.1"), port),
                       [&](beast::error_code e) { ec = e; });
  step("connect");

  http::request<http::empty_body> request{http::verb::get, target, 11};
  request.set(http::field::host, "127.0.0.1:" + std::to_string(port));
  request.set(http::field::connection, "close");
  http::async_write(stream, request, [&](beast::error_code e, std::size_t) { ec = e; });
  step("write");

  beast::flat_buffer buffer;
  http::response<http::string_body> response;
  http::async_read(stream, buffer, response, [&](beast::error_code e, std::size_t) { ec = e; });
  step("read");

  HttpResponse out;
  out.status = response.result_int();
  out.content_type = std::string(response[http::field::content_type]);
  out.body = std::move(response.body());
  return out;
}

}  // namespace parley::itest
