#include "openai_client.hpp"

#include <openssl/ssl.h>

#include <array>
#include <atomic>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <limits>
#include <stdexcept>
#include <type_traits>
#include <vector>

#include "sse_parser.hpp"

namespace parley::server {

namespace {

namespace beast = boost::beast;
namespace http = beast::http;
namespace net = boost::asio;
namespace ssl = net::ssl;
using tcp = net::ip::tcp;

constexpr std::size_t kMaxResponseBytes = 8 * 1024 * 1024;
constexpr std::size_t kMaxErrorBodyBytes = 64 * 1024;
constexpr std::size_t kErrorExcerptBytes = 200;
constexpr std::size_t kReadChunkBytes = 16 * 1024;

const std::string kUnreachable = "provider_unreachable";
const std::string kTimeout = "provider_timeout";
const std::string kHttpError = "provider_error";
const std::string kMalformed = "provider_malformed";
const std::string kRefused = "provider_refused";

using PlainStream = beast::tcp_stream;
using TlsStream = beast::ssl_stream<beast::tcp_stream>;
using Strand = net::strand<net::io_context::executor_type>;

// Where and how one call connects, taken from the client's configuration.
struct CallTarget {
  std::string host{};
  std::string port{};
  std::string host_header{};
  std::string target{};
  std::string api_key{};
  std::chrono::milliseconds connect_timeout{};
  std::chrono::milliseconds idle_timeout{};
};

bool is_ip_address(const std::string& host) {
  boost::system::error_code ec;
  net::ip::make_address(host, ec);
  return !ec;
}

// Errors that mean the provider closed the connection.
bool is_disconnect(const beast::error_code& ec) {
  return ec == http::error::end_of_stream || ec == http::error::partial_message ||
         ec == net::error::eof || ec == ssl::error::stream_truncated ||
         ec == net::error::connection_reset || ec == net::error::connection_aborted ||
         ec == net::error::broken_pipe;
}

std::string ms_text(std::chrono::milliseconds ms) {
  std::string s = std::to_string(ms.count());
  s += " ms";
  return s;
}

// "HTTP 500: <error.message>" or "HTTP 500: <first bytes of the body>".
std::string http_error_details(unsigned status, std::string_view reason, const std::string& body) {
  std::string details = "HTTP ";
  details += std::to_string(status);
  auto json = nlohmann::json::parse(body, nullptr, /*allow_exceptions=*/false);
  std::string message;
  if (json.is_object() && json.contains("error")) {
    const auto& err = json["error"];
    if (err.is_string()) {
      message = err.get<std::string>();
    } else if (err.is_object() && err.contains("message") && err["message"].is_string()) {
      message = err["message"].get<std::string>();
    }
  }
  if (message.empty()) message = body.substr(0, kErrorExcerptBytes);
  if (message.empty()) message = std::string(reason);
  if (!message.empty()) {
    details += ": ";
    details += message;
  }
  return details;
}

// One streamed completion: resolve, connect, (TLS handshake,) send the request, then
// read the event stream as it arrives. Every step runs on the call's strand.
template <class Stream>
class StreamingCall : public OpenAiCall, public std::enable_shared_from_this<StreamingCall<Stream>> {
  static constexpr bool kTls = std::is_same_v<Stream, TlsStream>;

 public:
  StreamingCall(net::io_context& ioc, std::shared_ptr<ssl::context> tls, CallTarget target,
                std::string body, StreamCallbacks cb)
      : strand_(net::make_strand(ioc)),
        tls_(std::move(tls)),
        resolver_(strand_),
        connect_timer_(strand_),
        stream_(make_stream(strand_, tls_.get())),
        target_(std::move(target)),
        cb_(std::move(cb)) {
    req_.method(http::verb::post);
    req_.target(target_.target);
    req_.version(11);
    req_.set(http::field::host, target_.host_header);
    req_.set(http::field::user_agent, "parley/" PARLEY_VERSION);
    req_.set(http::field::content_type, "application/json");
    req_.set(http::field::accept, "text/event-stream");
    if (!target_.api_key.empty()) {
      std::string auth = "Bearer ";
      auth += target_.api_key;
      req_.set(http::field::authorization, auth);
    }
    req_.body() = std::move(body);
    req_.prepare_payload();
  }

  void start() {
    net::post(strand_, beast::bind_front_handler(&StreamingCall::do_resolve, this->shared_from_this()));
  }

  void cancel() override {
    cancelled_.store(true);
    net::post(strand_, [self = this->shared_from_this()] { self->close(); });
  }

 private:
  static Stream make_stream(const Strand& strand, ssl::context* tls) {
    if constexpr (kTls) {
      return Stream(strand, *tls);
    } else {
      (void)tls;
      return Stream(strand);
    }
  }

  beast::tcp_stream& tcp() { return beast::get_lowest_layer(stream_); }

  bool stopped() const { return finished_ || cancelled_.load(); }

  void do_resolve() {
    if (stopped()) return;
    connect_deadline_ = std::chrono::steady_clock::now() + target_.connect_timeout;
    connect_timer_.expires_at(connect_deadline_);
    connect_timer_.async_wait([self = this->shared_from_this()](beast::error_code ec) {
      if (ec) return;
      self->resolve_timed_out_ = true;
      self->resolver_.cancel();
    });
    resolver_.async_resolve(target_.host, target_.port,
                            beast::bind_front_handler(&StreamingCall::on_resolve, this->shared_from_this()));
  }

  void on_resolve(beast::error_code ec, tcp::resolver::results_type results) {
    connect_timer_.cancel();
    if (stopped()) return;
    if (resolve_timed_out_) return fail(kTimeout, "resolving " + target_.host + " timed out");
    if (ec) return fail(kUnreachable, "cannot resolve " + target_.host + ": " + ec.message());
    tcp().expires_at(connect_deadline_);
    tcp().async_connect(results, beast::bind_front_handler(&StreamingCall::on_connect, this->shared_from_this()));
  }

  void on_connect(beast::error_code ec, const tcp::endpoint&) {
    if (stopped()) return;
    if (ec == beast::error::timeout) {
      return fail(kTimeout, "connecting to " + target_.host_header + " timed out after " +
                                ms_text(target_.connect_timeout));
    }
    if (ec) return fail(kUnreachable, "cannot connect to " + target_.host_header + ": " + ec.message());
    if constexpr (kTls) {
      do_handshake();
    } else {
      do_write();
    }
  }

  void do_handshake() {
    if constexpr (kTls) {
      // SNI carries names only, never address literals (RFC 6066).
      if (!is_ip_address(target_.host) &&
          !SSL_set_tlsext_host_name(stream_.native_handle(), target_.host.c_str())) {
        return fail(kUnreachable, "cannot set TLS server name for " + target_.host);
      }
      stream_.set_verify_mode(ssl::verify_peer);
      stream_.set_verify_callback(ssl::host_name_verification(target_.host));
      tcp().expires_at(connect_deadline_);
      stream_.async_handshake(ssl::stream_base::client,
                              beast::bind_front_handler(&StreamingCall::on_handshake, this->shared_from_this()));
    }
  }

  void on_handshake(beast::error_code ec) {
    if (stopped()) return;
    if (ec == beast::error::timeout) {
      return fail(kTimeout, "TLS handshake with " + target_.host_header + " timed out");
    }
    if (ec) return fail(kUnreachable, "TLS handshake with " + target_.host_header + " failed: " + ec.message());
    do_write();
  }

  void do_write() {
    tcp().expires_after(target_.idle_timeout);
    http::async_write(stream_, req_, beast::bind_front_handler(&StreamingCall::on_write, this->shared_from_this()));
  }

  void on_write(beast::error_code ec, std::size_t) {
    if (stopped()) return;
    if (ec == beast::error::timeout) return fail(kTimeout, "sending the request timed out");
    if (ec) return fail(kUnreachable, "sending the request failed: " + ec.message());
    do_read_header();
  }

  void do_read_header() {
    parser_.emplace();
    parser_->body_limit(std::numeric_limits<std::uint64_t>::max());  // capped in on_bytes
    tcp().expires_after(target_.idle_timeout);
    http::async_read_header(stream_, buffer_, *parser_,
                            beast::bind_front_handler(&StreamingCall::on_read_header, this->shared_from_this()));
  }

  void on_read_header(beast::error_code ec, std::size_t) {
    if (stopped()) return;
    if (ec) return on_read_error(ec);
    const auto& res = parser_->get();
    status_ = res.result_int();
    error_response_ = status_ < 200 || status_ > 299;
    if (!error_response_) {
      std::string_view type = res[http::field::content_type];
      if (!type.empty() && !beast::iequals(type.substr(0, 17), "text/event-stream")) {
        std::string why = "expected text/event-stream, got ";
        why += type;
        return fail(kMalformed, why);
      }
    }
    if (parser_->is_done()) return on_body_end();
    do_read_body();
  }

  void do_read_body() {
    auto& body = parser_->get().body();
    body.data = chunk_.data();
    body.size = chunk_.size();
    tcp().expires_after(target_.idle_timeout);
    http::async_read_some(stream_, buffer_, *parser_,
                          beast::bind_front_handler(&StreamingCall::on_read_body, this->shared_from_this()));
  }

  void on_read_body(beast::error_code ec, std::size_t) {
    if (stopped()) return;
    if (ec == http::error::need_buffer) ec = {};
    std::size_t n = chunk_.size() - parser_->get().body().size;
    if (n > 0) {
      on_bytes(std::string_view(chunk_.data(), n));
      if (stopped()) return;
    }
    if (ec) return on_read_error(ec);
    if (parser_->is_done()) return on_body_end();
    do_read_body();
  }

  void on_read_error(const beast::error_code& ec) {
    if (ec == beast::error::timeout) {
      return fail(kTimeout, "no data from the provider for " + ms_text(target_.idle_timeout));
    }
    if (is_disconnect(ec)) return on_body_end();
    if (ec.category() == http::make_error_code(http::error::bad_version).category()) {  // not a valid HTTP response
      return fail(kMalformed, "invalid HTTP response: " + ec.message());
    }
    fail(kMalformed, "stream ended early: " + ec.message());
  }

  void on_bytes(std::string_view bytes) {
    received_ += bytes.size();
    if (error_response_) {
      error_body_.append(bytes.substr(0, kMaxErrorBodyBytes - std::min(kMaxErrorBodyBytes, error_body_.size())));
      if (error_body_.size() >= kMaxErrorBodyBytes) on_body_end();
      return;
    }
    if (received_ > kMaxResponseBytes) return fail(kMalformed, "response larger than 8 MB");
    events_.clear();
    bool ok = sse_.feed(bytes, events_);
    for (const auto& ev : events_) {
      StreamStep step = decoder_.consume(ev.data);
      if (!step.text.empty() && cb_.on_delta && !cancelled_.load()) cb_.on_delta(step.text);
      if (stopped()) return;
      switch (step.kind) {
        case StreamStep::Kind::progress:
          break;
        case StreamStep::Kind::done:
          return succeed();
        case StreamStep::Kind::refused:
          return fail(kRefused, step.error);
        case StreamStep::Kind::malformed:
          return fail(kMalformed, step.error);
      }
    }
    if (!ok) fail(kMalformed, "malformed stream: " + sse_.error());
  }

  void on_body_end() {
    if (error_response_) {
      return fail(kHttpError, http_error_details(status_, parser_->get().reason(), error_body_));
    }
    StreamStep step = decoder_.end_of_stream();
    if (step.kind == StreamStep::Kind::done) return succeed();
    fail(kMalformed, step.kind == StreamStep::Kind::malformed && step.error == "malformed stream: stream ended early"
                         ? std::string("stream ended early")
                         : step.error);
  }

  void succeed() {
    if (finished_) return;
    finished_ = true;
    close();
    if (cancelled_.load()) return;
    auto on_done = std::move(cb_.on_done);
    cb_ = {};
    if (on_done) on_done(decoder_.completion());
  }

  void fail(const std::string& code, const std::string& details) {
    if (finished_) return;
    finished_ = true;
    close();
    if (cancelled_.load()) return;
    auto on_error = std::move(cb_.on_error);
    cb_ = {};
    if (on_error) on_error(code, details);
  }

  void close() {
    if (closed_) return;
    closed_ = true;
    resolver_.cancel();
    connect_timer_.cancel();
    tcp().close();
  }

  Strand strand_;
  std::shared_ptr<ssl::context> tls_;  // outlives stream_
  tcp::resolver resolver_;
  net::steady_timer connect_timer_;
  Stream stream_;
  CallTarget target_;
  StreamCallbacks cb_;

  std::chrono::steady_clock::time_point connect_deadline_{};
  bool resolve_timed_out_ = false;
  http::request<http::string_body> req_{};
  beast::flat_buffer buffer_{};
  std::optional<http::response_parser<http::buffer_body>> parser_{};
  std::array<char, kReadChunkBytes> chunk_{};
  unsigned status_ = 0;
  bool error_response_ = false;
  std::string error_body_{};
  std::size_t received_ = 0;

  SseParser sse_{};
  OpenAiStreamDecoder decoder_{};
  std::vector<SseEvent> events_{};

  std::atomic<bool> cancelled_{false};
  bool finished_ = false;
  bool closed_ = false;
};

}  // namespace

OpenAiClient::OpenAiClient(boost::asio::io_context& ioc, OpenAiConfig config)
    : ioc_(ioc), config_(std::move(config)) {
  auto url = parse_base_url(config_.base_url);
  if (!url) throw std::invalid_argument("invalid provider base URL: " + config_.base_url);
  url_ = std::move(*url);
  if (url_.scheme == "https") {
    tls_ = std::make_shared<ssl::context>(ssl::context::tls_client);
    tls_->set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 | ssl::context::no_sslv3 |
                      ssl::context::no_tlsv1 | ssl::context::no_tlsv1_1);
    tls_->set_default_verify_paths();
    if (!config_.ca_file.empty()) tls_->load_verify_file(config_.ca_file);
    tls_->set_verify_mode(ssl::verify_peer);
  }
}

std::string OpenAiClient::request_body(const ChatRequest& request) const {
  nlohmann::json body = nlohmann::json::object();
  body["model"] = request.model.empty() ? config_.model : request.model;
  body["messages"] = request.messages;
  body["stream"] = true;
  body["stream_options"] = {{"include_usage", true}};
  if (request.tools.is_array() && !request.tools.empty()) body["tools"] = request.tools;
  if (request.temperature) body["temperature"] = *request.temperature;
  if (request.max_tokens) body["max_tokens"] = *request.max_tokens;
  return body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

std::shared_ptr<OpenAiCall> OpenAiClient::stream(ChatRequest request, StreamCallbacks cb) {
  CallTarget target;
  target.host = url_.host;
  target.port = url_.port;
  bool ipv6 = url_.host.find(':') != std::string::npos;
  target.host_header = ipv6 ? "[" + url_.host + "]" : url_.host;
  bool default_port = (url_.scheme == "https" && url_.port == "443") || (url_.scheme == "http" && url_.port == "80");
  if (!default_port) {
    target.host_header += ":";
    target.host_header += url_.port;
  }
  target.target = url_.path_prefix + "/chat/completions";
  target.api_key = config_.api_key;
  target.connect_timeout = config_.connect_timeout;
  target.idle_timeout = config_.idle_timeout;

  std::string body = request_body(request);
  if (tls_) {
    auto call = std::make_shared<StreamingCall<TlsStream>>(ioc_, tls_, std::move(target), std::move(body), std::move(cb));
    call->start();
    return call;
  }
  auto call = std::make_shared<StreamingCall<PlainStream>>(ioc_, nullptr, std::move(target), std::move(body), std::move(cb));
  call->start();
  return call;
}

}  // namespace parley::server
