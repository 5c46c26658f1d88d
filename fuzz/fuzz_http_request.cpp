// The server's HTTP request parsing: Beast's request_parser<string_body> with the limits
// HttpSession sets (16 KiB of headers, 64 KiB of body), fed the input as one
// connection's bytes (pipelined requests included). Each parsed request's target then
// goes through what the server does with it: the upgrade check, static-file path
// resolution and the MIME type. A resolved path must stay below the web root.
#include <boost/beast/core/error.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/websocket/rfc6455.hpp>
#include <string>

#include "fuzz_check.hpp"
#include "http_session.hpp"
#include "static_files.hpp"

namespace {

namespace beast = boost::beast;
namespace http = beast::http;
namespace net = boost::asio;
using parley::server::mime_type;
using parley::server::resolve_path;

constexpr std::string_view kRoot = "/srv/parley/web-root";
constexpr int kMaxRequests = 8;

void serve(const http::request<http::string_body>& req) {
  const std::string_view target = req.target();
  (void)beast::websocket::is_upgrade(req);
  (void)req.keep_alive();
  const auto path = resolve_path(kRoot, target);
  if (!path) return;
  const std::string shown = std::string(target) + " -> " + *path;
  PARLEY_FUZZ_CHECK(path->starts_with(std::string(kRoot) + "/"), shown);
  const std::string_view below = std::string_view(*path).substr(kRoot.size());
  PARLEY_FUZZ_CHECK(below.find("/../") == std::string_view::npos && !below.ends_with("/.."), shown);
  PARLEY_FUZZ_CHECK(below.find_first_of(std::string_view("\\%?#\0", 5)) == std::string_view::npos,
                    shown);
  PARLEY_FUZZ_CHECK(!below.ends_with('/'), shown);
  PARLEY_FUZZ_CHECK(!mime_type(*path).empty(), shown);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view rest = parley::fuzz::as_text(data, size);
  for (int i = 0; i < kMaxRequests && !rest.empty(); ++i) {
    http::request_parser<http::string_body> parser;
    parser.header_limit(parley::server::HttpSession::kHeaderLimit);
    parser.body_limit(parley::server::HttpSession::kBodyLimit);
    beast::error_code ec;
    while (!parser.is_done()) {
      const std::size_t used = parser.put(net::buffer(rest.data(), rest.size()), ec);
      PARLEY_FUZZ_CHECK(used <= rest.size(), "the parser used more than it was given");
      rest.remove_prefix(used);
      if (ec && ec != http::error::need_more) break;
      ec = {};
      if (used == 0) {  // every byte was offered: the connection ends here
        parser.put_eof(ec);
        break;
      }
    }
    if (ec || !parser.is_done()) return 0;
    serve(parser.get());
  }
  return 0;
}
