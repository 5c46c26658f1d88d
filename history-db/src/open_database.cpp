#include "open_database.hpp"

#include <filesystem>
#include <system_error>

#include "migrations.hpp"

namespace parley::history {

SQLite::Database open_database(const std::string& path) {
  const bool is_file = !path.empty() && path != ":memory:" && !path.starts_with("file:");
  if (is_file) {
    // A missing folder (a fresh checkout's data/) is created; any other problem is left
    // for SQLite to report when it opens the file.
    const auto parent = std::filesystem::path(path).parent_path();
    std::error_code ignored;
    if (!parent.empty()) std::filesystem::create_directories(parent, ignored);
  }
  SQLite::Database db(path, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
  db.setBusyTimeout(5000);
  // Refuse a newer file before anything below can write to it.
  migrations::check_supported(db);
  db.exec("PRAGMA journal_mode = WAL");
  // FULL: a commit is on disk before it is acknowledged, so a position a client was told
  // about is never handed out again for other content, even after a power failure.
  // Group commit (one transaction per batch of writes) keeps the fsyncs few.
  db.exec("PRAGMA synchronous = FULL");
  db.exec("PRAGMA foreign_keys = ON");
  migrations::migrate(db);
  return db;
}

}  // namespace parley::history
