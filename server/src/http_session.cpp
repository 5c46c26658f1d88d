#include "http_session.hpp"

#include <boost/asio/dispatch.hpp>
#include <boost/beast/websocket.hpp>
#include <chrono>

#include "api_router.hpp"
#include "history_worker.hpp"
#include "log.hpp"
#include "static_files.hpp"
#include "websocket_session.hpp"

namespace parley::server {

namespace beast = boost::beast;
namespace http = beast::http;
namespace net = boost::asio;

namespace {

using Request = http::request<http::string_body>;

http::message_generator text_response(const Request& req, http::status status,
                                      std::string_view content_type, std::string body) {
  http::response<http::string_body> res{status, req.version()};
  res.set(http::field::server, "parley/" PARLEY_VERSION);
  res.set(http::field::content_type, content_type);
  res.set(http::field::cache_control, "no-store");
  res.keep_alive(req.keep_alive());
  res.body() = req.method() == http::verb::head ? std::string() : std::move(body);
  res.prepare_payload();
  return res;
}

http::message_generator error_response(const Request& req, http::status status,
                                       std::string_view why) {
  return text_response(req, status, "application/json",
                       std::string("{\"error\":\"") + std::string(why) + "\"}");
}

http::message_generator health_response(const Request& req, ServerContext& ctx) {
  using namespace std::chrono;
  auto uptime = duration_cast<seconds>(steady_clock::now() - ctx.started).count();
  std::string body = "{\"status\":\"ok\",\"version\":\"" PARLEY_VERSION "\",\"connections\":" +
                     std::to_string(ctx.connections.load()) +
                     ",\"rooms_live\":" + std::to_string(ctx.fanout.room_count()) +
                     ",\"replies_streaming\":" + std::to_string(ctx.assistant.running()) +
                     ",\"history_backlog\":" + std::to_string(ctx.history.backlog()) +
                     ",\"uptime_s\":" + std::to_string(uptime) + "}";
  return text_response(req, http::status::ok, "application/json", std::move(body));
}

http::message_generator file_response(const Request& req, const ServerContext& ctx) {
  auto path = resolve_path(ctx.config.web_root, req.target());
  if (!path) return error_response(req, http::status::bad_request, "bad path");
  http::file_body::value_type body;
  beast::error_code ec;
  body.open(path->c_str(), beast::file_mode::scan, ec);
  if (ec == beast::errc::no_such_file_or_directory || ec == beast::errc::is_a_directory)
    return error_response(req, http::status::not_found, "not found");
  if (ec) return error_response(req, http::status::internal_server_error, "cannot read file");
  auto size = body.size();
  auto cache = path->ends_with(".html") ? "no-cache" : "max-age=60";
  if (req.method() == http::verb::head) {
    http::response<http::empty_body> res{http::status::ok, req.version()};
    res.set(http::field::content_type, mime_type(*path));
    res.set(http::field::cache_control, cache);
    res.content_length(size);
    res.keep_alive(req.keep_alive());
    return res;
  }
  http::response<http::file_body> res{std::piecewise_construct, std::make_tuple(std::move(body)),
                                      std::make_tuple(http::status::ok, req.version())};
  res.set(http::field::server, "parley/" PARLEY_VERSION);
  res.set(http::field::content_type, mime_type(*path));
  res.set(http::field::cache_control, cache);
  res.content_length(size);
  res.keep_alive(req.keep_alive());
  return res;
}

http::message_generator handle(const Request& req, ServerContext& ctx) {
  if (req.method() != http::verb::get && req.method() != http::verb::head)
    return error_response(req, http::status::method_not_allowed, "method not allowed");
  auto target = req.target();
  if (target == "/health" || target.starts_with("/health?")) return health_response(req, ctx);
  if (target == "/ws" || target.starts_with("/ws?"))
    return error_response(req, http::status::upgrade_required, "websocket upgrade required");
  return file_response(req, ctx);
}

}  // namespace

HttpSession::HttpSession(net::ip::tcp::socket&& socket, ServerContext& ctx)
    : stream_(std::move(socket)), ctx_(ctx) {}

void HttpSession::run() {
  net::dispatch(stream_.get_executor(),
                beast::bind_front_handler(&HttpSession::do_read, shared_from_this()));
}

void HttpSession::do_read() {
  parser_.emplace();
  parser_->body_limit(64 * 1024);
  parser_->header_limit(16 * 1024);
  stream_.expires_after(std::chrono::seconds(30));
  http::async_read(stream_, buffer_, *parser_,
                   beast::bind_front_handler(&HttpSession::on_read, shared_from_this()));
}

void HttpSession::on_read(beast::error_code ec, std::size_t) {
  if (ec == http::error::end_of_stream) return do_close();
  if (ec) return fail(ec, "http read");
  auto req = parser_->release();
  auto target = req.target();
  if (beast::websocket::is_upgrade(req) && (target == "/ws" || target.starts_with("/ws?"))) {
    auto session = std::make_shared<WebSocketSession>(stream_.release_socket(), ctx_);
    ctx_.sessions.add(session);
    session->run(std::move(req));
    return;
  }
  bool keep_alive = req.keep_alive();
  if (target.starts_with("/api/") && ctx_.api != nullptr) {
    // Answered later, from whichever thread finishes the work, back on this strand.
    ApiRequest api{std::string(req.method_string()), std::string(target),
                   std::string(req[http::field::authorization]), req.body()};
    ctx_.api->handle(std::move(api), [self = shared_from_this(), version = req.version(),
                                      keep_alive](ApiResponse r) {
      net::post(self->stream_.get_executor(), [self, version, keep_alive, r = std::move(r)] {
        http::response<http::string_body> res{static_cast<http::status>(r.status), version};
        res.set(http::field::server, "parley/" PARLEY_VERSION);
        res.set(http::field::content_type, "application/json");
        res.set(http::field::cache_control, "no-store");
        res.keep_alive(keep_alive);
        res.body() = std::move(r.body);
        res.prepare_payload();
        self->send(std::move(res), keep_alive);
      });
    });
    return;
  }
  send(handle(req, ctx_), keep_alive);
}

void HttpSession::send(http::message_generator&& response, bool keep_alive) {
  beast::async_write(stream_, std::move(response),
                     beast::bind_front_handler(&HttpSession::on_write, shared_from_this(),
                                               keep_alive));
}

void HttpSession::on_write(bool keep_alive, beast::error_code ec, std::size_t) {
  if (ec) return fail(ec, "http write");
  if (!keep_alive) return do_close();
  do_read();
}

void HttpSession::do_close() {
  beast::error_code ec;
  stream_.socket().shutdown(net::ip::tcp::socket::shutdown_send, ec);
}

}  // namespace parley::server
