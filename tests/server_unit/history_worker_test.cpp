#include "history_worker.hpp"

#include <gtest/gtest.h>

#include <condition_variable>
#include <mutex>
#include <stdexcept>
#include <vector>

#include "parley/history/sqlite_history_store.hpp"

using namespace parley::server;
using namespace parley::history;

namespace {

// Waits for n signals with a deadline instead of sleeping.
struct Latch {
  std::mutex m;
  std::condition_variable cv;
  int count = 0;
  void signal() {
    std::lock_guard l(m);
    ++count;
    cv.notify_all();
  }
  bool wait_for(int n) {
    std::unique_lock l(m);
    return cv.wait_for(l, std::chrono::seconds(10), [&] { return count >= n; });
  }
};

NewMessage msg(std::string room, std::string text, std::string client_id = {}) {
  NewMessage m;
  m.room = std::move(room);
  m.author = "alice";
  m.text = std::move(text);
  m.client_id = std::move(client_id);
  m.ts_ms = 1;
  return m;
}

}  // namespace

TEST(HistoryWorker, ContinuationsRunInOrderAfterCommit) {
  HistoryWorker worker(std::make_unique<SqliteHistoryStore>(":memory:"));
  Latch done;
  std::mutex m;
  std::vector<std::uint64_t> seqs;
  for (int i = 0; i < 100; ++i) {
    worker.post({[&, i](HistoryStore& store) -> HistoryWorker::Continuation {
                   auto seq = store.append(msg("lobby", std::to_string(i))).message.seq;
                   return [&, seq] {
                     std::lock_guard l(m);
                     seqs.push_back(seq);
                     done.signal();
                   };
                 },
                 nullptr});
  }
  ASSERT_TRUE(done.wait_for(100));
  for (std::size_t i = 0; i < seqs.size(); ++i) EXPECT_EQ(seqs[i], i + 1);
}

TEST(HistoryWorker, AFailingJobIsReportedAloneAndOthersCommit) {
  HistoryWorker worker(std::make_unique<SqliteHistoryStore>(":memory:"));
  Latch done;
  std::string error;
  bool ok_ran = false;
  worker.post({[](HistoryStore&) -> HistoryWorker::Continuation {
                 throw std::runtime_error("boom");
               },
               [&](const std::string& what) {
                 error = what;
                 done.signal();
               }});
  worker.post({[](HistoryStore& store) -> HistoryWorker::Continuation {
                 store.append(msg("lobby", "kept"));
                 return {};
               },
               nullptr});
  worker.post({[&](HistoryStore& store) -> HistoryWorker::Continuation {
                 ok_ran = store.recent("lobby", 10).size() == 1;
                 return [&] { done.signal(); };
               },
               nullptr});
  ASSERT_TRUE(done.wait_for(2));
  EXPECT_EQ(error, "boom");
  EXPECT_TRUE(ok_ran);
}

TEST(HistoryWorker, StopFinishesQueuedJobsAndRefusesNewOnes) {
  auto path = testing::TempDir() + "history_worker_stop.db";
  std::remove(path.c_str());
  {
    HistoryWorker worker(std::make_unique<SqliteHistoryStore>(path));
    for (int i = 0; i < 50; ++i)
      worker.post({[i](HistoryStore& store) -> HistoryWorker::Continuation {
                     store.append(msg("lobby", std::to_string(i)));
                     return {};
                   },
                   nullptr});
    worker.stop();
    std::string refused;
    worker.post({[](HistoryStore&) -> HistoryWorker::Continuation { return {}; },
                 [&](const std::string& what) { refused = what; }});
    EXPECT_FALSE(refused.empty());
  }
  SqliteHistoryStore reopened(path);
  EXPECT_EQ(reopened.recent("lobby", 100).size(), 50u);
}
