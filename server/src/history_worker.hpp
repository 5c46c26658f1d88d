// The one thread that owns the history store. Network threads never touch SQLite: they
// post jobs here. The worker drains its queue in batches and runs each batch inside one
// transaction (group commit), so a burst of sends costs one fsync-equivalent, then runs
// each job's continuation in job order, after the commit: an acknowledgement is only
// ever sent for data that is durable.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "parley/history/history_store.hpp"

namespace parley::server {

class HistoryWorker {
 public:
  using Continuation = std::function<void()>;
  struct Job {
    // Runs on the worker thread inside the batch's transaction; returns what to do once
    // the batch is committed (may be empty).
    std::function<Continuation(history::HistoryStore&)> run;
    // Called instead of the continuation when the job or its batch's commit failed.
    std::function<void(const std::string& what)> failed;
  };

  explicit HistoryWorker(std::unique_ptr<history::HistoryStore> store,
                         std::size_t max_batch = 256);
  ~HistoryWorker();
  HistoryWorker(const HistoryWorker&) = delete;
  HistoryWorker& operator=(const HistoryWorker&) = delete;

  // Thread-safe. Jobs posted after stop() are failed at once.
  void post(Job job);
  // Finishes every job already posted, then ends the thread.
  void stop();

  // Jobs waiting, for /health.
  std::size_t backlog() const;

 private:
  void run();
  void run_batch(std::deque<Job>& batch);
  // One pass of full-text indexing (at most kIndexChunk messages); returns how many.
  std::size_t index_search();

  // Stored messages become searchable after the commit that acknowledges them: in chunks
  // once no job has come for kIdleBeforeIndex, and at least every kIndexInterval under load.
  static constexpr std::size_t kIndexChunk = 4096;
  static constexpr std::chrono::milliseconds kIndexInterval{250};
  static constexpr std::chrono::milliseconds kIdleBeforeIndex{20};
  // Group commit: a batch of fewer than kLingerBelow jobs that arrives within kBusyWithin
  // of the previous batch's end waits up to kLinger for more.
  static constexpr std::size_t kLingerBelow = 32;
  static constexpr std::chrono::microseconds kBusyWithin{2000};
  static constexpr std::chrono::microseconds kLinger{500};

  std::unique_ptr<history::HistoryStore> store_;
  std::size_t max_batch_;
  mutable std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<Job> queue_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace parley::server
