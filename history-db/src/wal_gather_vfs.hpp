// A SQLite VFS over the platform's own that gathers the write-ahead log's writes.
//
// SQLite writes each WAL frame as two writes (its 24-byte header, then the page), so a
// commit that touches 150 pages costs 300 pwrite calls before its one fsync. This VFS keeps
// consecutive WAL writes in memory and hands them to the platform VFS as one write when
// anything needs them: a sync (every commit, with synchronous=FULL), a read, a truncate, a
// size query, a file control or the close. Other readers only learn of frames from the
// WAL index, which SQLite updates after the sync, so they never look for bytes still held
// here. Only the WAL is gathered; every other file passes straight through.
#pragma once

namespace parley::history {

// Registers the VFS (once; thread-safe) and returns its name for sqlite3_open_v2.
const char* wal_gather_vfs();

}  // namespace parley::history
