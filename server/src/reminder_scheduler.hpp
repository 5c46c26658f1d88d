// Announces reminders when they are due: a timer per pending reminder on the network
// io_context; when one fires, the history worker marks the reminder done and stores the
// assistant's announcement in its room, which is then broadcast. Pending reminders are
// loaded at start, so those that fell due while the server was down are announced at
// once. A cancelled reminder's timer finds it no longer pending and says nothing.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <atomic>
#include <map>
#include <memory>
#include <mutex>

#include "fanout.hpp"
#include "history_worker.hpp"
#include "parley/history/reminder_store.hpp"

namespace parley::server {

class ReminderScheduler {
 public:
  ReminderScheduler(boost::asio::io_context& ioc, HistoryWorker& history, Fanout& fanout);

  // Loads every pending reminder and schedules it.
  void start();
  // Thread-safe.
  void schedule(const history::Reminder& r);
  // Cancels the timers (shutdown); reminders stay pending in the store.
  void stop();

 private:
  void fire(std::uint64_t id);

  boost::asio::io_context& ioc_;
  HistoryWorker& history_;
  Fanout& fanout_;
  std::mutex mutex_;
  std::map<std::uint64_t, std::shared_ptr<boost::asio::steady_timer>> timers_;
  std::atomic<bool> stopped_{false};
};

}  // namespace parley::server
