// A thread of its own for slow work that must not run on the network threads or the
// history worker: file writes, checksums, virus scans, text extraction. Tasks run one
// at a time in the order posted.
#pragma once

#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <string>
#include <thread>

namespace parley::server {

class TaskQueue {
 public:
  explicit TaskQueue(std::string name);
  ~TaskQueue();  // finishes what is queued, then ends the thread
  TaskQueue(const TaskQueue&) = delete;
  TaskQueue& operator=(const TaskQueue&) = delete;

  // Thread-safe. A task that throws is logged and the queue goes on.
  void post(std::function<void()> task);

 private:
  void run();

  std::string name_;
  std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<std::function<void()>> tasks_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace parley::server
