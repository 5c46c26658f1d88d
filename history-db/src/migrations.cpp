#include "migrations.hpp"

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Exception.h>
#include <SQLiteCpp/Transaction.h>

#include <array>
#include <string>

namespace parley::history::migrations {
namespace {

// Append new steps at the end; never edit one that has shipped.
constexpr std::array kSteps{
    Step{1, R"sql(
CREATE TABLE rooms (
  id         INTEGER PRIMARY KEY,
  name       TEXT NOT NULL UNIQUE,
  epoch      TEXT NOT NULL,
  head_seq   INTEGER NOT NULL DEFAULT 0,
  created_ms INTEGER NOT NULL
);

CREATE TABLE messages (
  room_id   INTEGER NOT NULL REFERENCES rooms(id),
  seq       INTEGER NOT NULL,
  author    TEXT NOT NULL,
  kind      TEXT NOT NULL CHECK (kind IN ('user', 'assistant', 'system')),
  text      TEXT NOT NULL,
  client_id TEXT,
  gen_id    TEXT,
  status    TEXT NOT NULL CHECK (status IN ('complete', 'streaming', 'interrupted')),
  ts_ms     INTEGER NOT NULL,
  PRIMARY KEY (room_id, seq)
) WITHOUT ROWID;

-- A retried send (same author and client_id) must find the original, never store twice.
CREATE UNIQUE INDEX messages_by_client_id
  ON messages (room_id, author, client_id) WHERE client_id IS NOT NULL;

-- Only replies cut off by a stop are ever streaming at startup: keep them cheap to find.
CREATE INDEX messages_streaming ON messages (status) WHERE status = 'streaming';
)sql"},
    // Reply ends become room events of their own (kind 'end', ref_seq = the reply), so
    // a client resuming after a reply started still learns how it ended. SQLite cannot
    // change a CHECK constraint in place: the table is rebuilt.
    Step{2, R"sql(
CREATE TABLE messages_v2 (
  room_id   INTEGER NOT NULL REFERENCES rooms(id),
  seq       INTEGER NOT NULL,
  author    TEXT NOT NULL,
  kind      TEXT NOT NULL CHECK (kind IN ('user', 'assistant', 'system', 'end')),
  text      TEXT NOT NULL,
  client_id TEXT,
  gen_id    TEXT,
  status    TEXT NOT NULL CHECK (status IN ('complete', 'streaming', 'interrupted')),
  ts_ms     INTEGER NOT NULL,
  ref_seq   INTEGER,
  PRIMARY KEY (room_id, seq)
) WITHOUT ROWID;

INSERT INTO messages_v2 (room_id, seq, author, kind, text, client_id, gen_id, status, ts_ms)
  SELECT room_id, seq, author, kind, text, client_id, gen_id, status, ts_ms FROM messages;
DROP TABLE messages;
ALTER TABLE messages_v2 RENAME TO messages;

CREATE UNIQUE INDEX messages_by_client_id
  ON messages (room_id, author, client_id) WHERE client_id IS NOT NULL;
CREATE INDEX messages_streaming ON messages (status) WHERE status = 'streaming';
)sql"},
    // Room types, owners, the assistant setting and memberships.
    Step{3, R"sql(
ALTER TABLE rooms ADD COLUMN type TEXT NOT NULL DEFAULT 'shared'
  CHECK (type IN ('private', 'shared', 'group'));
ALTER TABLE rooms ADD COLUMN owner TEXT NOT NULL DEFAULT '';
ALTER TABLE rooms ADD COLUMN assistant TEXT NOT NULL DEFAULT 'always'
  CHECK (assistant IN ('always', 'mention', 'off'));

CREATE TABLE room_members (
  room_id   INTEGER NOT NULL REFERENCES rooms(id),
  user      TEXT NOT NULL COLLATE NOCASE,
  role      TEXT NOT NULL CHECK (role IN ('owner', 'admin', 'member')),
  joined_ms INTEGER NOT NULL,
  PRIMARY KEY (room_id, user)
) WITHOUT ROWID;
CREATE INDEX room_members_by_user ON room_members (user);
)sql"},
    // Each member's up-to markers: delivered and read.
    Step{4, R"sql(
ALTER TABLE room_members ADD COLUMN delivered_seq INTEGER NOT NULL DEFAULT 0;
ALTER TABLE room_members ADD COLUMN read_seq INTEGER NOT NULL DEFAULT 0;
)sql"},
    // The built-in account store: names with a slow-KDF password hash and a role.
    Step{5, R"sql(
CREATE TABLE accounts (
  name          TEXT PRIMARY KEY COLLATE NOCASE,
  password_hash TEXT NOT NULL,
  role          TEXT NOT NULL CHECK (role IN ('user', 'admin', 'service')),
  created_ms    INTEGER NOT NULL
) WITHOUT ROWID;
)sql"},
    // The assistant's visible work: step events (kind 'step', ref_seq = the reply) with
    // their details as a JSON object in `data`; replies a user stopped or a provider
    // failed. The CHECK constraints change, so the table is rebuilt.
    Step{6, R"sql(
CREATE TABLE messages_v6 (
  room_id   INTEGER NOT NULL REFERENCES rooms(id),
  seq       INTEGER NOT NULL,
  author    TEXT NOT NULL,
  kind      TEXT NOT NULL CHECK (kind IN ('user', 'assistant', 'system', 'end', 'step')),
  text      TEXT NOT NULL,
  client_id TEXT,
  gen_id    TEXT,
  status    TEXT NOT NULL
            CHECK (status IN ('complete', 'streaming', 'interrupted', 'stopped', 'error')),
  ts_ms     INTEGER NOT NULL,
  ref_seq   INTEGER,
  data      TEXT,
  PRIMARY KEY (room_id, seq)
) WITHOUT ROWID;

INSERT INTO messages_v6 (room_id, seq, author, kind, text, client_id, gen_id, status, ts_ms,
                         ref_seq)
  SELECT room_id, seq, author, kind, text, client_id, gen_id, status, ts_ms, ref_seq
  FROM messages;
DROP TABLE messages;
ALTER TABLE messages_v6 RENAME TO messages;

CREATE UNIQUE INDEX messages_by_client_id
  ON messages (room_id, author, client_id) WHERE client_id IS NOT NULL;
CREATE INDEX messages_streaming ON messages (status) WHERE status = 'streaming';
)sql"},
    // Full-text search of what people wrote and of finished replies (SQLite FTS5, bm25
    // ranking), kept by triggers. A row's rowid is room_id * 2^32 + seq, so one room's
    // rows are one rowid range.
    Step{7, R"sql(
CREATE VIRTUAL TABLE message_search USING fts5(text, tokenize = 'unicode61 remove_diacritics 2');

INSERT INTO message_search (rowid, text)
  SELECT room_id * 4294967296 + seq, text FROM messages
  WHERE kind IN ('user', 'system') OR (kind = 'assistant' AND status != 'streaming');

CREATE TRIGGER message_search_insert AFTER INSERT ON messages
  WHEN new.kind IN ('user', 'system')
BEGIN
  INSERT INTO message_search (rowid, text) VALUES (new.room_id * 4294967296 + new.seq, new.text);
END;

CREATE TRIGGER message_search_reply_end AFTER UPDATE OF status ON messages
  WHEN new.kind = 'assistant' AND old.status = 'streaming' AND new.status != 'streaming'
BEGIN
  INSERT INTO message_search (rowid, text) VALUES (new.room_id * 4294967296 + new.seq, new.text);
END;

CREATE TRIGGER message_search_delete AFTER DELETE ON messages
BEGIN
  DELETE FROM message_search WHERE rowid = old.room_id * 4294967296 + old.seq;
END;
)sql"},
    // Documents given to rooms, split into passages the assistant retrieves (FTS5 over
    // the passages table, kept by triggers; a document's passages go with it).
    Step{8, R"sql(
CREATE TABLE documents (
  id INTEGER PRIMARY KEY,
  room_id INTEGER NOT NULL REFERENCES rooms (id),
  name TEXT NOT NULL,
  media_type TEXT NOT NULL,
  kind TEXT NOT NULL,
  size INTEGER NOT NULL,
  sha256 TEXT NOT NULL,
  uploader TEXT NOT NULL,
  ts_ms INTEGER NOT NULL,
  state TEXT NOT NULL CHECK (state IN ('processing', 'ready', 'failed')),
  progress INTEGER NOT NULL DEFAULT 0,
  passages INTEGER NOT NULL DEFAULT 0,
  error TEXT NOT NULL DEFAULT ''
);
CREATE INDEX documents_by_room ON documents (room_id, id);
CREATE INDEX documents_by_hash ON documents (sha256);

CREATE TABLE passages (
  id INTEGER PRIMARY KEY,
  document_id INTEGER NOT NULL REFERENCES documents (id),
  room_id INTEGER NOT NULL,
  idx INTEGER NOT NULL,
  location TEXT NOT NULL,
  text TEXT NOT NULL
);
CREATE INDEX passages_by_document ON passages (document_id, idx);

CREATE VIRTUAL TABLE passage_search USING fts5(
  text, content = 'passages', content_rowid = 'id',
  tokenize = 'unicode61 remove_diacritics 2');

CREATE TRIGGER passage_search_insert AFTER INSERT ON passages
BEGIN
  INSERT INTO passage_search (rowid, text) VALUES (new.id, new.text);
END;

CREATE TRIGGER passage_search_delete AFTER DELETE ON passages
BEGIN
  INSERT INTO passage_search (passage_search, rowid, text) VALUES ('delete', old.id, old.text);
END;

CREATE TRIGGER documents_delete AFTER DELETE ON documents
BEGIN
  DELETE FROM passages WHERE document_id = old.id;
END;
)sql"},
    // Reminders the assistant set: announced when due, also after a restart.
    Step{9, R"sql(
CREATE TABLE reminders (
  id INTEGER PRIMARY KEY,
  room_id INTEGER NOT NULL REFERENCES rooms (id),
  author TEXT NOT NULL,
  text TEXT NOT NULL,
  due_ms INTEGER NOT NULL,
  created_ms INTEGER NOT NULL,
  state TEXT NOT NULL CHECK (state IN ('pending', 'done', 'cancelled'))
);
CREATE INDEX reminders_pending ON reminders (due_ms) WHERE state = 'pending';
)sql"},
    // Names compare without case everywhere, so a retried send is found whatever the
    // letter case its author reconnected with. Rows stored twice before this only by
    // case keep their text but stop claiming the client_id.
    // Replies the assistant owes: written with the message they answer, deleted when the
    // reply's row is stored, answered at start when a crash or a stop came between.
    Step{10, R"sql(
UPDATE messages SET client_id = NULL
  WHERE client_id IS NOT NULL AND EXISTS (
    SELECT 1 FROM messages o
    WHERE o.room_id = messages.room_id AND o.client_id = messages.client_id
      AND o.author = messages.author COLLATE NOCASE AND o.seq < messages.seq);
DROP INDEX messages_by_client_id;
CREATE UNIQUE INDEX messages_by_client_id
  ON messages (room_id, author COLLATE NOCASE, client_id) WHERE client_id IS NOT NULL;

CREATE TABLE pending_replies (
  room_id  INTEGER NOT NULL REFERENCES rooms (id),
  seq      INTEGER NOT NULL,
  options  TEXT NOT NULL DEFAULT '',
  since_ms INTEGER NOT NULL,
  PRIMARY KEY (room_id, seq)
) WITHOUT ROWID;
)sql"},
    // Full-text indexing leaves the commit: FTS5 flushes its pending terms at every
    // savepoint, and every job of a group commit runs in one, so indexing in the trigger
    // wrote a new index segment per message. Triggers now only queue the row; the history
    // worker indexes the queue in batches after the commit (index_search), and search()
    // indexes what is still queued before it reads.
    Step{11, R"sql(
CREATE TABLE search_queue (doc INTEGER PRIMARY KEY);

DROP TRIGGER message_search_insert;
DROP TRIGGER message_search_reply_end;
DROP TRIGGER message_search_delete;

CREATE TRIGGER message_search_insert AFTER INSERT ON messages
  WHEN new.kind IN ('user', 'system')
BEGIN
  INSERT OR IGNORE INTO search_queue (doc) VALUES (new.room_id * 4294967296 + new.seq);
END;

CREATE TRIGGER message_search_reply_end AFTER UPDATE OF status ON messages
  WHEN new.kind = 'assistant' AND old.status = 'streaming' AND new.status != 'streaming'
BEGIN
  INSERT OR IGNORE INTO search_queue (doc) VALUES (new.room_id * 4294967296 + new.seq);
END;

CREATE TRIGGER message_search_delete AFTER DELETE ON messages
BEGIN
  DELETE FROM message_search WHERE rowid = old.room_id * 4294967296 + old.seq;
  DELETE FROM search_queue WHERE doc = old.room_id * 4294967296 + old.seq;
END;
)sql"},
};

}  // namespace

std::span<const Step> steps() { return kSteps; }

int latest_version(std::span<const Step> all) { return all.empty() ? 0 : all.back().version; }

int current_version(SQLite::Database& db) {
  return db.execAndGet("PRAGMA user_version").getInt();
}

void check_supported(SQLite::Database& db, std::span<const Step> all) {
  const int found = current_version(db);
  const int known = latest_version(all);
  if (found > known) {
    throw SQLite::Exception("history database " + db.getFilename() + " has schema version " +
                            std::to_string(found) + ", newer than the " +
                            std::to_string(known) +
                            " this build of Parley knows; refusing to open it");
  }
}

int migrate(SQLite::Database& db, std::span<const Step> all) {
  check_supported(db, all);
  const int from = current_version(db);
  int applied = 0;
  for (const Step& step : all) {
    if (step.version <= from) continue;
    // IMMEDIATE: take the write lock before reading anything, so two processes opening
    // the same fresh file cannot both decide to run this step.
    SQLite::Transaction tx(db, SQLite::TransactionBehavior::IMMEDIATE);
    if (current_version(db) >= step.version) continue;  // another process just ran it
    db.exec(step.sql);
    db.exec("PRAGMA user_version = " + std::to_string(step.version));
    tx.commit();
    ++applied;
  }
  return applied;
}

}  // namespace parley::history::migrations
