#include "http_session.hpp"

#include <boost/asio/dispatch.hpp>
#include <boost/beast/websocket.hpp>
#include <atomic>
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
    : stream_(std::move(socket)), ctx_(ctx), read_deadline_(stream_.get_executor()) {}

void HttpSession::run() {
  net::dispatch(stream_.get_executor(),
                beast::bind_front_handler(&HttpSession::do_read, shared_from_this()));
}

void HttpSession::do_read() {
  parser_.emplace();
  parser_->body_limit(kBodyLimit);
  parser_->header_limit(kHeaderLimit);
  // The read's deadline cancels the read rather than closing the socket, so a slow
  // client still hears 408 before the connection closes.
  stream_.expires_never();
  timed_out_ = false;
  read_deadline_.expires_after(std::chrono::milliseconds(ctx_.config.http_read_timeout_ms));
  read_deadline_.async_wait([weak = weak_from_this()](beast::error_code ec) {
    auto self = weak.lock();
    if (ec || !self) return;
    self->timed_out_ = true;
    beast::error_code ignored;
    self->stream_.socket().cancel(ignored);
  });
  http::async_read(stream_, buffer_, *parser_,
                   beast::bind_front_handler(&HttpSession::on_read, shared_from_this()));
}

void HttpSession::on_read(beast::error_code ec, std::size_t) {
  read_deadline_.cancel();
  if (ec && timed_out_) {
    // Nothing at all arrived on an idle keep-alive connection: just close it.
    if (!parser_->got_some()) return do_close();
    return refuse(http::status::request_timeout, "timeout",
                  "the request did not arrive in time");
  }
  if (ec == http::error::end_of_stream) return do_close();
  if (ec == http::error::header_limit)
    return refuse(http::status::request_header_fields_too_large, "too_large",
                  "the request's headers exceed 16 KiB");
  if (ec == http::error::body_limit)
    return refuse(http::status::payload_too_large, "too_large", "the request's body exceeds 64 KiB");
  if (ec == net::error::operation_aborted || ec == net::error::eof ||
      ec == net::error::connection_reset || ec == http::error::partial_message) {
    return fail(ec, "http read");
  }
  if (ec) return refuse(http::status::bad_request, "bad_request", "not an HTTP/1.1 request");
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
    // Answered later, from whichever thread finishes the work, back on this strand; once,
    // even when a handler fails after answering.
    auto answered = std::make_shared<std::atomic<bool>>(false);
    auto reply = [self = shared_from_this(), version = req.version(), keep_alive,
                  answered](ApiResponse r) {
      if (answered->exchange(true)) return;
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
    };
    beast::error_code peer_ec;
    const auto peer = stream_.socket().remote_endpoint(peer_ec);
    ApiRequest api{std::string(req.method_string()), std::string(target),
                   std::string(req[http::field::authorization]), req.body(),
                   peer_ec ? std::string() : peer.address().to_string()};
    try {
      ctx_.api->handle(std::move(api), reply);
    } catch (const std::exception& e) {
      // A handler that fails answers 500 and the server keeps serving.
      log_line(std::string("api request failed: ") + e.what());
      reply({500, R"({"error":{"code":"internal","message":"the request could not be handled"}})"});
    }
    return;
  }
  try {
    send(handle(req, ctx_), keep_alive);
  } catch (const std::exception& e) {
    log_line(std::string("http request failed: ") + e.what());
    send(error_response(req, http::status::internal_server_error, "internal"), false);
  }
}

void HttpSession::refuse(http::status status, std::string_view code, std::string_view why) {
  http::response<http::string_body> res{status, 11};
  res.set(http::field::server, "parley/" PARLEY_VERSION);
  res.set(http::field::content_type, "application/json");
  res.set(http::field::cache_control, "no-store");
  res.keep_alive(false);
  res.body() = std::string(R"({"error":{"code":")") + std::string(code) + R"(","message":")" +
               std::string(why) + R"("}})";
  res.prepare_payload();
  send(std::move(res), false);
}

void HttpSession::send(http::message_generator&& response, bool keep_alive) {
  // A client that stops reading the answer does not hold the connection forever.
  stream_.expires_after(std::chrono::seconds(30));
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
  // Reads what the client still sends (the rest of a refused request) for a moment, so
  // closing does not reset the connection before the client has read the answer.
  stream_.expires_after(std::chrono::seconds(2));
  drain();
}

void HttpSession::drain() {
  stream_.async_read_some(net::buffer(discard_),
                          [self = shared_from_this()](beast::error_code ec, std::size_t) {
                            if (!ec) self->drain();
                          });
}

}  // namespace parley::server
