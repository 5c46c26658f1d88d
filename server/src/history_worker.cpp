#include "history_worker.hpp"

#include <chrono>
#include <exception>
#include <vector>

#include "log.hpp"

namespace parley::server {

HistoryWorker::HistoryWorker(std::unique_ptr<history::HistoryStore> store, std::size_t max_batch)
    : store_(std::move(store)), max_batch_(max_batch), thread_([this] { run(); }) {}

HistoryWorker::~HistoryWorker() { stop(); }

void HistoryWorker::post(Job job) {
  {
    std::lock_guard lock(mutex_);
    // While draining, the worker's own continuations may still add work (a reply that
    // must be stored as interrupted); everyone else is refused.
    if (!stopping_ || std::this_thread::get_id() == thread_.get_id()) {
      queue_.push_back(std::move(job));
      wake_.notify_one();
      return;
    }
  }
  if (job.failed) job.failed("history is shutting down");
}

void HistoryWorker::stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
    wake_.notify_one();
  }
  if (thread_.joinable()) thread_.join();
}

std::size_t HistoryWorker::backlog() const {
  std::lock_guard lock(mutex_);
  return queue_.size();
}

void HistoryWorker::run() {
  std::deque<Job> batch;
  auto last_index = std::chrono::steady_clock::now();
  auto last_batch_end = last_index - kBusyWithin;
  bool unindexed = true;  // there may be messages queued for the search index
  for (;;) {
    bool idle = false;
    {
      std::unique_lock lock(mutex_);
      auto ready = [&] { return stopping_ || !queue_.empty(); };
      // A short lull is not idleness: under a closed-loop load the queue is empty between
      // every batch and its clients' next sends.
      if (unindexed && !wake_.wait_for(lock, kIdleBeforeIndex, ready)) {
        idle = true;
      } else {
        wake_.wait(lock, ready);
        if (queue_.empty()) return;  // stopping and drained; the index queue is durable
        // Group commit under load: a commit costs far more than a job, so while jobs keep
        // coming (the last batch ended moments ago) a small batch waits a little for
        // company. An idle server commits a lone job at once.
        const auto since_last = std::chrono::steady_clock::now() - last_batch_end;
        if (queue_.size() < kLingerBelow && since_last < kBusyWithin && !stopping_) {
          wake_.wait_for(lock, kLinger, [&] { return stopping_ || queue_.size() >= kLingerBelow; });
        }
        while (!queue_.empty() && batch.size() < max_batch_) {
          batch.push_back(std::move(queue_.front()));
          queue_.pop_front();
        }
      }
    }
    if (idle) {
      // Nothing waits for the store: index a chunk, then look for jobs again.
      unindexed = index_search() == kIndexChunk;
      last_index = std::chrono::steady_clock::now();
      continue;
    }
    run_batch(batch);
    batch.clear();
    last_batch_end = std::chrono::steady_clock::now();
    unindexed = true;
    // Under a load that never lets the queue run dry the index still keeps up, a chunk
    // at a time, between batches.
    if (std::chrono::steady_clock::now() - last_index > kIndexInterval) {
      index_search();
      last_index = std::chrono::steady_clock::now();
    }
  }
}

std::size_t HistoryWorker::index_search() {
  try {
    return store_->index_search(kIndexChunk);
  } catch (const std::exception& e) {
    log_line(std::string("search indexing failed: ") + e.what());
    return 0;
  }
}

void HistoryWorker::run_batch(std::deque<Job>& batch) {
  std::vector<Continuation> after(batch.size());
  std::vector<std::string> errors(batch.size());
  try {
    store_->batch([&] {
      for (std::size_t i = 0; i < batch.size(); ++i) {
        // One failing job must not roll back the others: each runs in a savepoint of
        // its own, so a job that fails halfway leaves nothing behind and is reported
        // alone.
        try {
          store_->batch([&] { after[i] = batch[i].run(*store_); });
        } catch (const std::exception& e) {
          errors[i] = e.what();
        }
      }
    });
  } catch (const std::exception& e) {
    log_line(std::string("history commit failed: ") + e.what());
    for (auto& err : errors)
      if (err.empty()) err = std::string("commit failed: ") + e.what();
  }
  for (std::size_t i = 0; i < batch.size(); ++i) {
    try {
      if (!errors[i].empty()) {
        if (batch[i].failed) batch[i].failed(errors[i]);
      } else if (after[i]) {
        after[i]();
      }
    } catch (const std::exception& e) {
      log_line(std::string("history continuation failed: ") + e.what());
    }
  }
}

}  // namespace parley::server
