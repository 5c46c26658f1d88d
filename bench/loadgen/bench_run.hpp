// What every workload shares: the options of the run, the server under test, the event
// loop its clients live on, the frames they send and the report they fill.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "bench_client.hpp"
#include "process_stats.hpp"
#include "server_process.hpp"

namespace parley::bench {

// "c" and 7 make "c7": names and client ids of the bench's clients.
inline std::string numbered(const char* prefix, std::uint64_t n) {
  std::string out(prefix);
  out += std::to_string(n);
  return out;
}

struct BenchOptions {
  std::string workload = "w1";
  std::string target = "parley";  // parley, ws or bun: only a name for the report
  std::string server_command;     // "{port}" is replaced by the port
  std::uint16_t port = 19080;
  int server_cpu = 0;
  int client_cpu = 1;
  double seconds = 10;            // measured window
  std::size_t connections = 100;  // W1, W3 (first step), W6
  std::size_t connections_max = 15000;  // W3 second step
  std::size_t room_size = 1000;   // W2
  double rate = 100;              // W2: messages per second from the publisher
  std::size_t rooms = 50;         // W4 replies at once, W6 rooms
  std::size_t viewers = 10;       // W4
  std::size_t behind = 100;       // W6
  std::size_t window = 256;       // W1p: sends in flight on the one connection
  bool count_syscalls = false;
};

struct Measured;

// An ordered list of result fields, printed as one JSON object.
class Report {
 public:
  void add(std::string key, double value);
  void add(std::string key, std::string value);
  // msgs_per_s, server_cpu_pct and msgs_per_cpu_s of `messages` seen in window `m`.
  void add_throughput(double messages, const Measured& m);
  std::string json() const;

 private:
  std::vector<std::pair<std::string, std::string>> fields_;
};

// Counts the server's socket-writing system calls over a window with `perf stat`
// tracepoints (no ptrace, so the server runs at full speed).
class SyscallCounter {
 public:
  void start(pid_t pid);
  // The number of sendmsg + sendto + write + writev calls since start(); -1 if unknown.
  long long stop();

 private:
  pid_t perf_ = -1;
  std::string output_;
};

// What a measured window saw of the server.
struct Measured {
  double wall_s = 0;
  double cpu_s = 0;       // server CPU time spent in the window
  long long writes = -1;  // server write system calls, -1 when not counted
  ProcessStats after;
};

class BenchRun {
 public:
  explicit BenchRun(BenchOptions options);

  const BenchOptions& options() const { return options_; }
  boost::asio::io_context& ioc() { return ioc_; }
  ServerProcess& server() { return *server_; }
  Report& report() { return report_; }
  bool is_parley() const { return options_.target == "parley"; }

  ProcessStats server_stats() const { return read_process_stats(server_->pid()); }

  // Runs the event loop until `done()` or `timeout_s` seconds; true when done.
  bool run_until(const std::function<bool()>& done, double timeout_s);
  // Runs the event loop for `seconds`.
  void run_for(double seconds);
  // Runs the event loop for `seconds` with `measuring` set, reading the server's CPU time
  // (and, with --count-syscalls, its write system calls) around the window.
  Measured measure(double seconds, bool& measuring);

  // Makes `count` clients and connects them, at most `in_flight` at a time; `on_open` runs
  // for each connected client. Returns the clients (null where the connection failed)
  // once every attempt has ended.
  std::vector<std::shared_ptr<BenchClient>> connect(
      std::size_t count, std::size_t in_flight,
      const std::function<void(BenchClient&)>& on_open, std::size_t first_index = 0);

  static std::string hello(const std::string& name);
  static std::string join(const std::string& room, std::uint32_t history_limit = 0);
  static std::string resume(const std::string& room, const std::string& epoch,
                            std::uint64_t after_seq);
  static std::string assistant_off(const std::string& room);
  // A send whose text starts with the send time, for latency.
  static std::string send(const std::string& room, const std::string& client_id,
                          const std::string& extra = {});

 private:
  BenchOptions options_;
  boost::asio::io_context ioc_;
  boost::asio::ip::tcp::endpoint endpoint_;
  std::unique_ptr<ServerProcess> server_;
  Report report_;
};

// Each workload sets up its clients, measures, and fills the run's report; false when the
// run could not be completed (the report says why).
bool run_w1_echo(BenchRun& run);
bool run_w1_pipeline(BenchRun& run);
bool run_w2_room(BenchRun& run);
bool run_w3_idle(BenchRun& run);
bool run_w4_stream(BenchRun& run);
bool run_w6_storm(BenchRun& run);

}  // namespace parley::bench
