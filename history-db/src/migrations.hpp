// The history schema as an ordered list of steps. PRAGMA user_version records the last
// step applied, so opening a database only runs the steps it has not seen yet.
#pragma once

#include <span>

namespace SQLite {
class Database;
}

namespace parley::history::migrations {

struct Step {
  int version;      // user_version once this step has run
  const char* sql;  // one or more statements
};

// Every schema change, oldest first; versions are 1, 2, 3... without gaps.
std::span<const Step> steps();

// The version a database has after all of `all` have run.
int latest_version(std::span<const Step> all = steps());

int current_version(SQLite::Database& db);

// Throws SQLite::Exception when `db` was written by a newer schema than `all` knows;
// such a file is left untouched rather than guessed at.
void check_supported(SQLite::Database& db, std::span<const Step> all = steps());

// Applies the steps newer than the database's version, each in its own transaction (a
// failing step leaves the database at the previous version). Returns how many ran.
int migrate(SQLite::Database& db, std::span<const Step> all = steps());

}  // namespace parley::history::migrations
