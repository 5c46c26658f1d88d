#include "open_database.hpp"

#include <filesystem>
#include <system_error>

#include "migrations.hpp"
#include "wal_gather_vfs.hpp"

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
  // Files go through the WAL-gathering VFS (one write per commit instead of two per page);
  // in-memory databases have no WAL and keep SQLite's own.
  SQLite::Database db(path.c_str(), SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE, 0,
                      is_file ? wal_gather_vfs() : nullptr);
  db.setBusyTimeout(5000);
  // Refuse a newer file before anything below can write to it.
  migrations::check_supported(db);
  db.exec("PRAGMA journal_mode = WAL");
  // FULL: a commit is on disk before it is acknowledged, so a position a client was told
  // about is never handed out again for other content, even after a power failure.
  // Group commit (one transaction per batch of writes) keeps the fsyncs few.
  db.exec("PRAGMA synchronous = FULL");
  db.exec("PRAGMA foreign_keys = ON");
  // Statement journals (one per savepoint: every job of a group commit has one) and temp
  // b-trees stay in memory. On disk they cost a temp file and a pwrite per touched page
  // per job, twenty times the writes of the commit itself.
  db.exec("PRAGMA temp_store = MEMORY");
  // A hot room's pages change in every commit. Checkpointing seldom copies each page
  // once for many commits instead of once for a few (the WAL grows to at most ~64 MiB
  // before it is copied back and reused), and a larger page cache keeps those pages from
  // being read again.
  db.exec("PRAGMA wal_autocheckpoint = 16384");
  db.exec("PRAGMA cache_size = -32768");
  migrations::migrate(db);
  return db;
}

}  // namespace parley::history
