// A real client for integration tests: the shared client Session (reconnect, resume,
// outbox, everything the browser client does) driven over a real WebSocket. Many of
// them share one io_context and are stepped together by SessionClients::step.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include <boost/asio/io_context.hpp>

#include "parley/client_session.hpp"

namespace parley::itest {

class SessionClient {
 public:
  // `port` is asked before every connection attempt (a restarted server may move).
  SessionClient(boost::asio::io_context& ioc, std::function<std::uint16_t()> port,
                const std::string& name, std::uint64_t seed);
  ~SessionClient();
  SessionClient(const SessionClient&) = delete;
  SessionClient& operator=(const SessionClient&) = delete;

  client::Session& session() { return session_; }
  const client::Session& session() const { return session_; }
  // Carries out what the session asks for (close, connect, write) and its timers.
  void step(std::int64_t now_ms);
  // Breaks the TCP connection without a close frame, as a network failure would.
  void cut();
  bool connected() const;
  std::size_t cuts() const { return cuts_; }

 private:
  struct Link;
  void open(std::int64_t now_ms);
  void read_next();
  void flush();

  boost::asio::io_context& ioc_;
  std::function<std::uint16_t()> port_;
  std::mt19937_64 rng_;
  int ids_ = 0;
  std::string name_;
  client::Session session_;
  std::shared_ptr<Link> link_;
  std::size_t cuts_ = 0;
};

// Milliseconds on a steady clock, the session's time base in these tests.
std::int64_t steady_ms();

}  // namespace parley::itest
