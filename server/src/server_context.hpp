// What every connection needs from the server: shared by the listener, HTTP sessions and
// WebSocket sessions. The server owns all of it and outlives every session.
#pragma once

#include <atomic>
#include <chrono>
#include <cstddef>

#include "chat_service.hpp"
#include "server_config.hpp"
#include "session_registry.hpp"

namespace parley::server {

class HistoryWorker;
class Fanout;
class AssistantRunner;
class ApiRouter;

struct ServerContext {
  ServerContext(const ServerConfig& c, ChatService& cs, HistoryWorker& h, Fanout& f,
                AssistantRunner& a)
      : config(c), chat(cs), history(h), fanout(f), assistant(a) {}

  const ServerConfig& config;
  ChatService& chat;
  HistoryWorker& history;
  Fanout& fanout;
  AssistantRunner& assistant;
  ApiRouter* api = nullptr;  // set by the server once made
  SessionRegistry sessions;
  std::atomic<std::size_t> connections{0};
  std::chrono::steady_clock::time_point started = std::chrono::steady_clock::now();
};

}  // namespace parley::server
