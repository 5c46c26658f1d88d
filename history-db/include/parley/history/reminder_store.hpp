// Reminders the assistant set in rooms: kept until they are due (also across restarts),
// then announced once. Reached through HistoryStore::reminders(), on the history's
// thread and database; deleting a room deletes its reminders.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace parley::history {

struct Reminder {
  std::uint64_t id = 0;
  std::string room;
  std::string author;  // who asked for it
  std::string text;
  std::int64_t due_ms = 0;
  std::int64_t created_ms = 0;
  std::string state;  // "pending", "done" or "cancelled"
};

class ReminderStore {
 public:
  virtual ~ReminderStore() = default;
  // Adds a pending reminder to an existing room; nullopt when there is no such room.
  virtual std::optional<Reminder> add(const std::string& room, const std::string& author,
                                      const std::string& text, std::int64_t due_ms,
                                      std::int64_t created_ms) = 0;
  virtual std::optional<Reminder> find(std::uint64_t id) = 0;
  // Every pending reminder, soonest first.
  virtual std::vector<Reminder> pending() = 0;
  // Pending → done (it is being announced) or cancelled; false when it was not pending.
  virtual bool finish(std::uint64_t id) = 0;
  virtual bool cancel(std::uint64_t id) = 0;
};

}  // namespace parley::history
