// ReminderStore on the history's SQLite connection (schema step 9).
#pragma once

#include <SQLiteCpp/Database.h>

#include "parley/history/reminder_store.hpp"

namespace parley::history {

class SqliteReminderStore final : public ReminderStore {
 public:
  explicit SqliteReminderStore(SQLite::Database& db) : db_(db) {}

  std::optional<Reminder> add(const std::string& room, const std::string& author,
                              const std::string& text, std::int64_t due_ms,
                              std::int64_t created_ms) override;
  std::optional<Reminder> find(std::uint64_t id) override;
  std::vector<Reminder> pending() override;
  bool finish(std::uint64_t id) override;
  bool cancel(std::uint64_t id) override;

 private:
  bool move(std::uint64_t id, const char* to);

  SQLite::Database& db_;
};

}  // namespace parley::history
