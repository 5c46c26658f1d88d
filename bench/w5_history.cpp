// parley-w5-history (W5): messages persisted per second through the server's own path
// (HistoryWorker group commit over SqliteHistoryStore, synchronous=FULL, WAL), on one
// core. Producers post append jobs as the network threads do; a job's continuation marks
// it durable. Prints one JSON object.
//
//   parley-w5-history [--messages N] [--rooms N] [--db PATH] [--cpu N]
#include <sched.h>
#include <sys/resource.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <string>

#include "history_worker.hpp"
#include "parley/history/sqlite_history_store.hpp"

using namespace parley;

namespace {

std::string numbered(const char* prefix, std::size_t n) {
  std::string out(prefix);
  out += std::to_string(n);
  return out;
}

double cpu_seconds() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return u.ru_utime.tv_sec + u.ru_stime.tv_sec + (u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
}

}  // namespace

int main(int argc, char** argv) {
  std::size_t messages = 200000, rooms = 100;
  std::string db = "/tmp/parley-w5-history-" + std::to_string(getpid()) + ".db";
  int cpu = 0;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string arg = argv[i];
    if (arg == "--messages") messages = std::stoul(argv[i + 1]);
    else if (arg == "--rooms") rooms = std::stoul(argv[i + 1]);
    else if (arg == "--db") db = argv[i + 1];
    else if (arg == "--cpu") cpu = std::stoi(argv[i + 1]);
    else {
      std::cerr << "usage: parley-w5-history [--messages N] [--rooms N] [--db PATH] [--cpu N]\n";
      return 2;
    }
  }
  if (cpu >= 0) {
    cpu_set_t set;
    CPU_ZERO(&set);
    CPU_SET(cpu, &set);
    sched_setaffinity(0, sizeof set, &set);
  }
  std::filesystem::remove(db);
  std::atomic<std::size_t> durable{0}, failed{0};
  double wall = 0, cpu_s = 0;
  {
    server::HistoryWorker worker(std::make_unique<history::SqliteHistoryStore>(db));
    for (std::size_t k = 0; k < rooms; ++k) {
      worker.post({[k](history::HistoryStore& s) -> server::HistoryWorker::Continuation {
                     s.ensure_room(numbered("h", k));
                     return {};
                   },
                   {}});
    }
    const auto t0 = std::chrono::steady_clock::now();
    const double c0 = cpu_seconds();
    for (std::size_t i = 0; i < messages; ++i) {
      history::NewMessage m;
      m.room = numbered("h", i % rooms);
      m.author = numbered("u", i % 1000);
      m.text = "message number " + std::to_string(i) + " of the history benchmark, about sixty bytes";
      m.client_id = numbered("c", i);
      m.ts_ms = 1;
      worker.post({[m = std::move(m), &durable](history::HistoryStore& s) -> server::HistoryWorker::Continuation {
                     s.append(m);
                     return [&durable] { durable.fetch_add(1, std::memory_order_relaxed); };
                   },
                   [&durable, &failed](const std::string& what) {
                     if (failed.fetch_add(1) == 0) std::fprintf(stderr, "append failed: %s\n", what.c_str());
                     durable.fetch_add(1, std::memory_order_relaxed);
                   }});
    }
    while (durable.load() < messages) std::this_thread::sleep_for(std::chrono::milliseconds(1));
    wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    cpu_s = cpu_seconds() - c0;
  }
  const auto bytes = std::filesystem::file_size(db);
  std::printf(
      "{\"workload\":\"w5\",\"target\":\"parley\",\"messages\":%zu,\"rooms\":%zu,"
      "\"failed\":%zu,\"msgs_per_s\":%.6g,\"cpu_s\":%.4g,\"msgs_per_cpu_s\":%.6g,\"db_bytes\":%zu}\n",
      messages, rooms, failed.load(), messages / wall, cpu_s, messages / cpu_s, static_cast<std::size_t>(bytes));
  for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(db + suffix);
  return 0;
}
