#include "server.hpp"

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/ip/address.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <stdexcept>
#include <iostream>
#include <optional>

#include "log.hpp"
#include "parley/codec.hpp"
#include "parley/history/sqlite_history_store.hpp"

namespace parley::server {

namespace net = boost::asio;

namespace {

std::unique_ptr<history::HistoryStore> open_store(const std::string& path) {
  auto parent = std::filesystem::path(path).parent_path();
  if (!parent.empty()) std::filesystem::create_directories(parent);
  auto store = std::make_unique<history::SqliteHistoryStore>(path);
  store->ensure_room("lobby");  // everyone's first room: shared, owned by nobody
  if (auto n = store->interrupt_streaming(); n > 0)
    log_line(std::to_string(n) + " replies left unfinished by the last run are now interrupted");
  return store;
}

// The token secret from the environment, or a random one for this run only.
std::string token_secret(const std::string& env) {
  if (const char* s = std::getenv(env.c_str()); s != nullptr && std::strlen(s) >= 32) return s;
  if (std::getenv(env.c_str()) != nullptr) {
    throw std::runtime_error(env + " holds fewer than 32 bytes; refusing a weak token secret");
  }
  log_line(env + " is not set: tokens are signed with a random secret and end with this run");
  return TokenService::random_secret();
}

// With --assistant openai: where the provider is and how to reach it. The key is read
// from the environment variable named by --openai-key-env (unset: no key).
std::optional<OpenAiConfig> provider_config(const ServerConfig& config) {
  if (config.assistant != "openai") return std::nullopt;
  OpenAiConfig p;
  p.base_url = config.openai_base_url;
  p.model = config.openai_model;
  if (const char* key = std::getenv(config.openai_key_env.c_str()); key != nullptr) p.api_key = key;
  p.ca_file = config.openai_ca_file;
  p.idle_timeout = std::chrono::milliseconds(config.openai_timeout_ms);
  return p;
}

std::unique_ptr<AssistantRunner> make_assistant(net::io_context& ioc, HistoryWorker& history,
                                                Fanout& fanout, LiveGenerations& live,
                                                const ServerConfig& config) {
  auto provider = provider_config(config);
  try {
    auto runner = std::make_unique<AssistantRunner>(ioc, history, fanout, live,
                                                    config.assistant_delay_ms,
                                                    config.checkpoint_ms, provider);
    if (provider) {
      log_line("assistant: model " + provider->model + " at " + provider->base_url +
               (provider->api_key.empty() ? " (no API key in " + config.openai_key_env + ")" : ""));
    }
    return runner;
  } catch (const std::exception& e) {
    if (!provider) throw;
    // A bad --openai-base-url or --openai-ca-file stops the server here, not at the
    // first question.
    std::string what = "cannot use the assistant provider (--openai-base-url ";
    what += config.openai_base_url;
    if (!config.openai_ca_file.empty()) {
      what += ", --openai-ca-file ";
      what += config.openai_ca_file;
    }
    what += "): ";
    what += e.what();
    throw std::runtime_error(what);
  }
}

}  // namespace

Server::Server(ServerConfig config)
    : config_(std::move(config)), ioc_(static_cast<int>(config_.threads)) {
  {
    auto store = open_store(config_.db_path);
    account_names_.add_all(store->account_names());
    history_ = std::make_unique<HistoryWorker>(std::move(store));
  }
  assistant_ = make_assistant(ioc_, *history_, fanout_, live_, config_);
  rooms_ = std::make_unique<RoomService>(*history_, fanout_, users_, presence_,
                                         config_.max_rooms_per_user, config_.max_room_bytes);
  tokens_ = std::make_unique<TokenService>(token_secret(config_.jwt_secret_env), "parley");
  chat_ = std::make_unique<ChatService>(config_, *history_, fanout_, live_, *assistant_, users_,
                                        *rooms_, presence_, *tokens_, account_names_);
  ctx_ = std::make_unique<ServerContext>(config_, *chat_, *history_, fanout_, *assistant_);
  api_ = std::make_unique<ApiRouter>(config_, *history_, *chat_, *rooms_, *tokens_, users_,
                                     ctx_->connections, account_names_);
  ctx_->api = api_.get();
  auto address = net::ip::make_address(config_.host);
  listener_ = std::make_shared<Listener>(ioc_, net::ip::tcp::endpoint{address, config_.port},
                                         *ctx_);
}

Server::~Server() {
  for (auto& t : threads_)
    if (t.joinable()) t.join();
  // Handlers still queued (deliveries to closing sessions) hold sessions; they go now,
  // before the context, services and registries those sessions touch as they end.
  ioc_.shutdown();
}

unsigned short Server::port() const { return listener_->local_endpoint().port(); }

void Server::run() {
  net::signal_set signals(ioc_, SIGINT, SIGTERM);
  signals.async_wait([this](boost::system::error_code ec, int) {
    if (!ec) shutdown();
  });
  // Keeps run() going while connections close; released by shutdown().
  auto work = std::make_shared<net::executor_work_guard<net::io_context::executor_type>>(
      ioc_.get_executor());
  listener_->run();
  answer_pending_replies();
  std::cout << "parley-server listening on http://" << config_.host << ":" << port() << "/"
            << std::endl;

  for (unsigned i = 1; i < config_.threads; ++i) threads_.emplace_back([this] { run_network(); });
  run_network();
  for (auto& t : threads_) t.join();
  threads_.clear();
  // Everything that could post history jobs has stopped; finish writing them.
  history_->stop();
  log_line("stopped");
  (void)work;
}

void Server::run_network() {
  // A handler that throws is logged and the thread goes on serving everyone else.
  for (;;) {
    try {
      ioc_.run();
      return;
    } catch (const std::exception& e) {
      log_line(std::string("network handler failed: ") + e.what());
    }
  }
}

void Server::answer_pending_replies() {
  // Replies the last run owed and never began (it crashed or stopped between a
  // question's ack and its reply's first row) are answered now, as they would have been.
  history_->post(
      {[this](history::HistoryStore& store) -> HistoryWorker::Continuation {
         std::vector<std::pair<protocol::ChatMessage, protocol::GenerationOptions>> owed;
         for (const history::PendingReply& p : store.pending_replies()) {
           auto prompt = store.at(p.room, p.seq);
           if (!prompt || prompt->kind != protocol::MessageKind::user) {
             store.drop_pending_reply(p.room, p.seq);
             continue;
           }
           owed.emplace_back(std::move(*prompt), protocol::options_of(p.options.empty() ? "{}" : p.options)
                                                     .value_or(protocol::GenerationOptions{}));
         }
         return [this, owed = std::move(owed)] {
           if (owed.empty()) return;
           log_line(std::to_string(owed.size()) + " replies owed by the last run are being written now");
           for (const auto& [prompt, options] : owed) assistant_->respond(prompt, options);
         };
       },
       [](const std::string& what) { log_line("could not read the replies owed: " + what); }});
}

void Server::shutdown() {
  log_line("stopping");
  listener_->stop();
  assistant_->stop_all();
  ctx_->sessions.close_all();
  // Close handshakes get up to two seconds to finish; then the threads stop regardless.
  stop_when_closed(std::chrono::steady_clock::now() + std::chrono::seconds(2));
}

void Server::stop_when_closed(std::chrono::steady_clock::time_point deadline) {
  if (ctx_->connections == 0 || std::chrono::steady_clock::now() >= deadline) {
    ioc_.stop();
    return;
  }
  shutdown_timer_.expires_after(std::chrono::milliseconds(20));
  shutdown_timer_.async_wait([this, deadline](boost::system::error_code ec) {
    if (!ec) stop_when_closed(deadline);
  });
}

}  // namespace parley::server
