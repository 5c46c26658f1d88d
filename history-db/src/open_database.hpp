// Opening the history file: connection settings and schema migration in one place.
#pragma once

#include <SQLiteCpp/Database.h>

#include <string>

namespace parley::history {

// Opens or creates the database (and a missing parent folder), refuses a file from a
// newer schema, sets WAL + synchronous=FULL + foreign keys + a 5 s busy timeout, and
// migrates it to the current schema.
SQLite::Database open_database(const std::string& path);

}  // namespace parley::history
