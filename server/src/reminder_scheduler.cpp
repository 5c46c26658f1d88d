#include "reminder_scheduler.hpp"

#include <chrono>

#include "builtin_assistant.hpp"
#include "frames.hpp"
#include "log.hpp"
#include "reminder_desk.hpp"

namespace parley::server {

namespace {

std::int64_t now_ms() {
  using namespace std::chrono;
  return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

}  // namespace

ReminderScheduler::ReminderScheduler(boost::asio::io_context& ioc, HistoryWorker& history,
                                     Fanout& fanout)
    : ioc_(ioc), history_(history), fanout_(fanout) {}

void ReminderScheduler::start() {
  history_.post({[this](history::HistoryStore& store) -> HistoryWorker::Continuation {
                   auto pending = store.reminders().pending();
                   return [this, pending = std::move(pending)] {
                     for (const auto& r : pending) schedule(r);
                   };
                 },
                 [](const std::string& what) { log_line("reminders could not be loaded: " + what); }});
}

void ReminderScheduler::schedule(const history::Reminder& r) {
  if (stopped_) return;
  auto timer = std::make_shared<boost::asio::steady_timer>(ioc_);
  timer->expires_after(std::chrono::milliseconds(std::max<std::int64_t>(0, r.due_ms - now_ms())));
  {
    std::lock_guard lock(mutex_);
    timers_[r.id] = timer;
  }
  timer->async_wait([this, id = r.id](boost::system::error_code ec) {
    if (!ec) fire(id);
  });
}

void ReminderScheduler::fire(std::uint64_t id) {
  {
    std::lock_guard lock(mutex_);
    timers_.erase(id);
  }
  history_.post(
      {[this, id](history::HistoryStore& store) -> HistoryWorker::Continuation {
         const auto r = store.reminders().find(id);
         if (!r || !store.reminders().finish(id)) return {};  // cancelled meanwhile
         history::NewMessage m;
         m.room = r->room;
         m.author = BuiltinAssistant::kName;
         m.kind = protocol::MessageKind::assistant;
         m.text = "\u23F0 Reminder for #" + r->room + ": " + r->text + " (set by " + r->author +
                  " for " + ReminderDesk::describe(r->due_ms) + ")";
         m.status = protocol::MessageStatus::complete;
         m.ts_ms = now_ms();
         m.data = R"j({"reminder":{"id":)j" + std::to_string(id) + "}}";
         auto stored = store.append(m).message;
         return [this, stored] { fanout_.publish(stored.room, frame_of(protocol::Posted{stored})); };
       },
       [id](const std::string& what) {
         log_line("reminder " + std::to_string(id) + " could not be announced: " + what);
       }});
}

void ReminderScheduler::stop() {
  stopped_ = true;
  std::lock_guard lock(mutex_);
  for (auto& [id, timer] : timers_) timer->cancel();
  timers_.clear();
}

}  // namespace parley::server
