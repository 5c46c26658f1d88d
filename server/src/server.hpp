// The whole server: owns the io_context and its threads, the history worker, the
// fan-out, the assistant and the listener, and stops them in an order that loses no
// write: stop accepting, end running replies as interrupted, close connections, drain
// the history queue, then stop the threads.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <memory>
#include <thread>
#include <vector>

#include "assistant_runner.hpp"
#include "chat_service.hpp"
#include "history_worker.hpp"
#include "listener.hpp"
#include "live_generations.hpp"
#include "local_fanout.hpp"
#include "room_service.hpp"
#include "user_directory.hpp"
#include "server_config.hpp"
#include "account_names.hpp"
#include "api_router.hpp"
#include "token_service.hpp"
#include "server_context.hpp"

namespace parley::server {

class Server {
 public:
  // Opens the database (marking replies left streaming by a crash as interrupted) and
  // binds the port. Throws when either fails.
  explicit Server(ServerConfig config);
  ~Server();

  unsigned short port() const;
  // Runs until SIGINT or SIGTERM, then stops cleanly.
  void run();

 private:
  void shutdown();
  void stop_when_closed(std::chrono::steady_clock::time_point deadline);
  void run_network();
  void answer_pending_replies();

  // An io_context whose pending handlers ~Server can destroy while everything they refer
  // to (sessions count themselves in ctx_) still exists.
  class NetworkContext : public boost::asio::io_context {
   public:
    using io_context::io_context;
    using boost::asio::execution_context::shutdown;
  };

  ServerConfig config_;
  NetworkContext ioc_;
  LocalFanout fanout_;
  LiveGenerations live_{fanout_};
  UserDirectory users_;
  PresenceRegistry presence_;
  AccountNames account_names_;
  std::unique_ptr<HistoryWorker> history_;
  std::unique_ptr<AssistantRunner> assistant_;
  std::unique_ptr<RoomService> rooms_;
  std::unique_ptr<TokenService> tokens_;
  std::unique_ptr<ChatService> chat_;
  std::unique_ptr<ApiRouter> api_;
  std::unique_ptr<ServerContext> ctx_;
  std::shared_ptr<Listener> listener_;
  std::vector<std::thread> threads_;
  boost::asio::steady_timer shutdown_timer_{ioc_};
};

}  // namespace parley::server
