#include "sqlite_reminder_store.hpp"

#include <SQLiteCpp/Statement.h>

namespace parley::history {
namespace {

constexpr const char* kColumns =
    "SELECT m.id, r.name, m.author, m.text, m.due_ms, m.created_ms, m.state "
    "FROM reminders m JOIN rooms r ON r.id = m.room_id ";

Reminder read_reminder(SQLite::Statement& s) {
  Reminder r;
  r.id = static_cast<std::uint64_t>(s.getColumn(0).getInt64());
  r.room = s.getColumn(1).getString();
  r.author = s.getColumn(2).getString();
  r.text = s.getColumn(3).getString();
  r.due_ms = s.getColumn(4).getInt64();
  r.created_ms = s.getColumn(5).getInt64();
  r.state = s.getColumn(6).getString();
  return r;
}

}  // namespace

std::optional<Reminder> SqliteReminderStore::add(const std::string& room, const std::string& author,
                                                 const std::string& text, std::int64_t due_ms,
                                                 std::int64_t created_ms) {
  SQLite::Statement s(db_,
                      "INSERT INTO reminders (room_id, author, text, due_ms, created_ms, state) "
                      "SELECT id, ?2, ?3, ?4, ?5, 'pending' FROM rooms WHERE name = ?1");
  s.bind(1, room);
  s.bind(2, author);
  s.bind(3, text);
  s.bind(4, due_ms);
  s.bind(5, created_ms);
  if (s.exec() == 0) return std::nullopt;
  return find(static_cast<std::uint64_t>(db_.getLastInsertRowid()));
}

std::optional<Reminder> SqliteReminderStore::find(std::uint64_t id) {
  SQLite::Statement s(db_, std::string(kColumns) + "WHERE m.id = ?1");
  s.bind(1, static_cast<std::int64_t>(id));
  if (!s.executeStep()) return std::nullopt;
  return read_reminder(s);
}

std::vector<Reminder> SqliteReminderStore::pending() {
  SQLite::Statement s(db_, std::string(kColumns) + "WHERE m.state = 'pending' ORDER BY m.due_ms, m.id");
  std::vector<Reminder> out;
  while (s.executeStep()) out.push_back(read_reminder(s));
  return out;
}

bool SqliteReminderStore::move(std::uint64_t id, const char* to) {
  SQLite::Statement s(db_, "UPDATE reminders SET state = ?2 WHERE id = ?1 AND state = 'pending'");
  s.bind(1, static_cast<std::int64_t>(id));
  s.bind(2, to);
  return s.exec() > 0;
}

bool SqliteReminderStore::finish(std::uint64_t id) { return move(id, "done"); }
bool SqliteReminderStore::cancel(std::uint64_t id) { return move(id, "cancelled"); }

}  // namespace parley::history
