#include "bench_run.hpp"

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <thread>

#include "clock.hpp"

namespace parley::bench {

namespace {

std::string replace_port(std::string command, std::uint16_t port) {
  const std::string key = "{port}";
  for (auto at = command.find(key); at != std::string::npos; at = command.find(key))
    command.replace(at, key.size(), std::to_string(port));
  return command;
}

std::string quote(const std::string& s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}

}  // namespace

void Report::add(std::string key, double value) {
  char text[64];
  std::snprintf(text, sizeof text, "%.6g", value);
  fields_.emplace_back(std::move(key), text);
}

void Report::add(std::string key, std::string value) {
  fields_.emplace_back(std::move(key), quote(value));
}

void Report::add_throughput(double messages, const Measured& m) {
  add("msgs_per_s", messages / m.wall_s);
  add("server_cpu_pct", 100 * m.cpu_s / m.wall_s);
  add("msgs_per_cpu_s", m.cpu_s > 0 ? messages / m.cpu_s : 0);
}

std::string Report::json() const {
  std::string out = "{";
  for (std::size_t i = 0; i < fields_.size(); ++i) {
    if (i) out += ",";
    out += quote(fields_[i].first) + ":" + fields_[i].second;
  }
  return out + "}";
}

void SyscallCounter::start(pid_t pid) {
  output_ = "/tmp/parley-bench-perf-" + std::to_string(::getpid()) + ".txt";
  perf_ = ::fork();
  if (perf_ == 0) {
    const std::string p = std::to_string(pid);
    ::execlp("perf", "perf", "stat", "-x,", "-o", output_.c_str(), "-e",
             "syscalls:sys_enter_sendmsg,syscalls:sys_enter_sendto,syscalls:sys_enter_write,"
             "syscalls:sys_enter_writev",
             "-p", p.c_str(), static_cast<char*>(nullptr));
    ::_exit(127);
  }
  // perf needs a moment to attach; the window is seconds long.
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
}

long long SyscallCounter::stop() {
  if (perf_ <= 0) return -1;
  ::kill(perf_, SIGINT);
  int status = 0;
  ::waitpid(perf_, &status, 0);
  perf_ = -1;
  std::ifstream in(output_);
  std::string line;
  long long total = 0;
  bool any = false;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    const auto comma = line.find(',');
    try {
      total += std::stoll(line.substr(0, comma));
      any = true;
    } catch (...) {
    }
  }
  ::unlink(output_.c_str());
  return any ? total : -1;
}

BenchRun::BenchRun(BenchOptions options)
    : options_(std::move(options)),
      endpoint_(boost::asio::ip::make_address("127.0.0.1"), options_.port),
      server_(std::make_unique<ServerProcess>(replace_port(options_.server_command, options_.port),
                                              options_.server_cpu, options_.port)) {
  report_.add("workload", options_.workload);
  report_.add("target", options_.target);
}

bool BenchRun::run_until(const std::function<bool()>& done, double timeout_s) {
  const auto deadline = std::chrono::steady_clock::now() +
                        std::chrono::microseconds(static_cast<long long>(timeout_s * 1e6));
  while (!done()) {
    if (std::chrono::steady_clock::now() >= deadline) return false;
    if (ioc_.stopped()) ioc_.restart();
    ioc_.run_one_for(std::chrono::milliseconds(5));
  }
  return true;
}

void BenchRun::run_for(double seconds) {
  const auto end = now_ns() + static_cast<std::uint64_t>(seconds * 1e9);
  run_until([&] { return now_ns() >= end; }, seconds + 1);
}

Measured BenchRun::measure(double seconds, bool& measuring) {
  SyscallCounter syscalls;
  if (options_.count_syscalls) syscalls.start(server_->pid());
  const auto before = server_stats();
  const auto t0 = now_ns();
  measuring = true;
  run_for(seconds);
  measuring = false;
  Measured m;
  m.wall_s = (now_ns() - t0) / 1e9;
  m.after = server_stats();
  m.cpu_s = m.after.cpu_seconds - before.cpu_seconds;
  if (options_.count_syscalls) m.writes = syscalls.stop();
  return m;
}

std::vector<std::shared_ptr<BenchClient>> BenchRun::connect(
    std::size_t count, std::size_t in_flight, const std::function<void(BenchClient&)>& on_open,
    std::size_t first_index) {
  std::vector<std::shared_ptr<BenchClient>> clients(count);
  std::size_t next = 0, pending = 0, ended = 0;
  std::function<void()> launch = [&] {
    while (pending < in_flight && next < count) {
      const std::size_t i = next++;
      ++pending;
      auto c = std::make_shared<BenchClient>(ioc_, first_index + i);
      c->connect(endpoint_, [&, i, c](bool ok) {
        --pending;
        ++ended;
        if (ok) {
          clients[i] = c;
          on_open(*c);
        }
        launch();
      });
    }
  };
  launch();
  run_until([&] { return ended == count; }, 120);
  return clients;
}

std::string BenchRun::hello(const std::string& name) {
  return R"({"v":1,"type":"hello","name":")" + name + R"(","client":"parley-bench"})";
}

std::string BenchRun::join(const std::string& room, std::uint32_t history_limit) {
  return R"({"v":1,"type":"join","room":")" + room + R"(","history_limit":)" +
         std::to_string(history_limit) + "}";
}

std::string BenchRun::resume(const std::string& room, const std::string& epoch,
                             std::uint64_t after_seq) {
  return R"({"v":1,"type":"join","room":")" + room + R"(","history_limit":0,"epoch":")" + epoch +
         R"(","after_seq":)" + std::to_string(after_seq) + "}";
}

std::string BenchRun::assistant_off(const std::string& room) {
  return R"({"v":1,"type":"set_assistant","room":")" + room + R"(","assistant":"off"})";
}

std::string BenchRun::send(const std::string& room, const std::string& client_id,
                           const std::string& extra) {
  return R"({"v":1,"type":"send","room":")" + room + R"(","client_id":")" + client_id +
         R"(","text":"t=)" + std::to_string(now_ns()) + R"( hello from the bench")" + extra + "}";
}

}  // namespace parley::bench
