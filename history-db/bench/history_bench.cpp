// Append throughput of SqliteHistoryStore on a temporary file: one transaction per
// message (what a server that commits every send does) against group commit in batches.
//
//   parley-history-bench [messages=100000] [batch_size=1000]
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <random>
#include <string>

#include "parley/history/sqlite_history_store.hpp"

namespace {

namespace fs = std::filesystem;
using parley::history::NewMessage;
using parley::history::SqliteHistoryStore;

fs::path fresh_db_path() {
  std::random_device rd;
  return fs::temp_directory_path() /
         ("parley-history-bench-" + std::to_string(rd()) + std::to_string(rd()) + ".db");
}

void remove_db(const fs::path& db) {
  std::error_code ignored;
  for (const char* suffix : {"", "-wal", "-shm"}) fs::remove(db.string() + suffix, ignored);
}

NewMessage message(std::size_t i) {
  NewMessage m;
  m.room = "bench";
  m.author = "user" + std::to_string(i % 16);
  m.text = "message number " + std::to_string(i) + " with a few more words to store";
  m.client_id = "c-" + std::to_string(i);
  m.ts_ms = static_cast<std::int64_t>(i);
  return m;
}

// Appends `count` messages, `batch_size` per transaction; returns rows per second.
double run(std::size_t count, std::size_t batch_size) {
  const fs::path path = fresh_db_path();
  double rows_per_second = 0;
  {
    SqliteHistoryStore store(path.string());
    const auto start = std::chrono::steady_clock::now();
    for (std::size_t done = 0; done < count;) {
      const std::size_t n = std::min(batch_size, count - done);
      if (n == 1) {
        store.append(message(done));
      } else {
        store.batch([&] {
          for (std::size_t i = 0; i < n; ++i) store.append(message(done + i));
        });
      }
      done += n;
    }
    const std::chrono::duration<double> elapsed = std::chrono::steady_clock::now() - start;
    rows_per_second = static_cast<double>(count) / elapsed.count();
    std::printf("  %7zu rows, %4zu per transaction: %8.3f s, %10.0f rows/s\n", count,
                batch_size, elapsed.count(), rows_per_second);
  }
  remove_db(path);
  return rows_per_second;
}

std::size_t arg_or(int argc, char** argv, int index, std::size_t fallback) {
  if (argc <= index) return fallback;
  const long long v = std::atoll(argv[index]);
  return v > 0 ? static_cast<std::size_t>(v) : fallback;
}

}  // namespace

int main(int argc, char** argv) {
  const std::size_t count = arg_or(argc, argv, 1, 100000);
  const std::size_t batch_size = arg_or(argc, argv, 2, 1000);
  std::printf("parley-history-bench: SQLite WAL, synchronous=FULL, file in %s\n",
              fs::temp_directory_path().string().c_str());
  const double single = run(count, 1);
  const double batched = run(count, batch_size);
  std::printf("  batching is %.1fx faster\n", batched / single);
  return 0;
}
