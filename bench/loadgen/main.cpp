// parley-loadgen: starts a server under test pinned to one CPU, drives one workload
// against it from another CPU and prints one JSON object of figures.
//
//   parley-loadgen --workload w1 --target parley --server 'parley-server --port {port} ...'
#include <sched.h>
#include <sys/resource.h>

#include <cstdlib>
#include <iostream>
#include <map>
#include <string>

#include "bench_run.hpp"

using namespace parley::bench;

namespace {

const char* kUsage =
    "usage: parley-loadgen --workload w1|w1p|w2|w3|w4|w6 --server COMMAND [options]\n"
    "  --target NAME          name of the server in the report (parley, ws, bun)\n"
    "  --server COMMAND       shell command starting the server; {port} is replaced\n"
    "  --port N               port for the server (default 19080)\n"
    "  --server-cpu N         CPU the server is pinned to (default 0; -1 = none)\n"
    "  --client-cpu N         CPU the load generator is pinned to (default 1; -1 = none)\n"
    "  --seconds S            measured window (default 10)\n"
    "  --connections N        W1 connections, W3 first step, W6 clients (default 100)\n"
    "  --connections-max N    W3 second step (default 15000)\n"
    "  --room-size N          W2 members (default 1000)\n"
    "  --rate R               W2 messages per second from the publisher (default 100)\n"
    "  --rooms N              W4 replies at once, W6 rooms (default 50)\n"
    "  --viewers N            W4 members per room (default 10)\n"
    "  --behind N             W6 messages each client misses (default 100)\n"
    "  --window N             W1p sends in flight on the one connection (default 256)\n"
    "  --count-syscalls       count the server's socket writes with perf (W1, W2, W4)\n";

bool parse(int argc, char** argv, BenchOptions& o) {
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--count-syscalls") {
      o.count_syscalls = true;
      continue;
    }
    if (i + 1 >= argc) return false;
    const std::string v = argv[++i];
    if (arg == "--workload") o.workload = v;
    else if (arg == "--target") o.target = v;
    else if (arg == "--server") o.server_command = v;
    else if (arg == "--port") o.port = static_cast<std::uint16_t>(std::stoul(v));
    else if (arg == "--server-cpu") o.server_cpu = std::stoi(v);
    else if (arg == "--client-cpu") o.client_cpu = std::stoi(v);
    else if (arg == "--seconds") o.seconds = std::stod(v);
    else if (arg == "--connections") o.connections = std::stoul(v);
    else if (arg == "--connections-max") o.connections_max = std::stoul(v);
    else if (arg == "--room-size") o.room_size = std::stoul(v);
    else if (arg == "--rate") o.rate = std::stod(v);
    else if (arg == "--rooms") o.rooms = std::stoul(v);
    else if (arg == "--viewers") o.viewers = std::stoul(v);
    else if (arg == "--behind") o.behind = std::stoul(v);
    else if (arg == "--window") o.window = std::stoul(v);
    else return false;
  }
  return !o.server_command.empty();
}

}  // namespace

int main(int argc, char** argv) {
  BenchOptions o;
  try {
    if (!parse(argc, argv, o)) {
      std::cerr << kUsage;
      return 2;
    }
  } catch (const std::exception&) {
    std::cerr << kUsage;
    return 2;
  }
  // Tens of thousands of sockets on each side; the server inherits the limit.
  rlimit files{65536, 65536};
  if (setrlimit(RLIMIT_NOFILE, &files) != 0) {
    getrlimit(RLIMIT_NOFILE, &files);
    files.rlim_cur = files.rlim_max;
    setrlimit(RLIMIT_NOFILE, &files);
  }
  if (o.client_cpu >= 0) {
    cpu_set_t set;
    CPU_ZERO(&set);
    CPU_SET(o.client_cpu, &set);
    sched_setaffinity(0, sizeof set, &set);
  }
  static const std::map<std::string, bool (*)(BenchRun&)> workloads = {
      {"w1", run_w1_echo}, {"w1p", run_w1_pipeline}, {"w2", run_w2_room},
      {"w3", run_w3_idle}, {"w4", run_w4_stream},    {"w6", run_w6_storm}};
  const auto it = workloads.find(o.workload);
  if (it == workloads.end()) {
    std::cerr << "unknown workload " << o.workload << "\n" << kUsage;
    return 2;
  }
  BenchRun run(o);
  if (!run.server().start()) {
    run.report().add("error", "the server did not start");
    std::cout << run.report().json() << std::endl;
    return 1;
  }
  bool ok = false;
  try {
    ok = it->second(run);
  } catch (const std::exception& e) {
    run.report().add("error", e.what());
  }
  run.server().stop();
  std::cout << run.report().json() << std::endl;
  return ok ? 0 : 1;
}
