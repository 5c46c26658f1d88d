#include "sqlite_document_store.hpp"

#include <SQLiteCpp/Statement.h>

#include "fts_match.hpp"

namespace parley::history {
namespace {

constexpr const char* kColumns =
    "SELECT d.id, r.name, d.name, d.media_type, d.kind, d.size, d.sha256, d.uploader, d.ts_ms, "
    "d.state, d.progress, d.passages, d.error FROM documents d JOIN rooms r ON r.id = d.room_id ";

protocol::Document read_document(SQLite::Statement& s) {
  protocol::Document d;
  d.id = static_cast<std::uint64_t>(s.getColumn(0).getInt64());
  d.room = s.getColumn(1).getString();
  d.name = s.getColumn(2).getString();
  d.media_type = s.getColumn(3).getString();
  d.kind = s.getColumn(4).getString();
  d.size = static_cast<std::uint64_t>(s.getColumn(5).getInt64());
  d.sha256 = s.getColumn(6).getString();
  d.uploader = s.getColumn(7).getString();
  d.ts_ms = s.getColumn(8).getInt64();
  d.state = s.getColumn(9).getString();
  d.progress = static_cast<std::uint32_t>(s.getColumn(10).getInt64());
  d.passages = static_cast<std::uint32_t>(s.getColumn(11).getInt64());
  d.error = s.getColumn(12).getString();
  return d;
}

}  // namespace

std::optional<protocol::Document> SqliteDocumentStore::by_id(std::uint64_t id) {
  SQLite::Statement s(db_, std::string(kColumns) + "WHERE d.id = ?1");
  s.bind(1, static_cast<std::int64_t>(id));
  if (!s.executeStep()) return std::nullopt;
  return read_document(s);
}

std::optional<protocol::Document> SqliteDocumentStore::add(const NewDocument& d) {
  SQLite::Statement s(db_,
                      "INSERT INTO documents (room_id, name, media_type, kind, size, sha256, "
                      "uploader, ts_ms, state) SELECT id, ?2, ?3, ?4, ?5, ?6, ?7, ?8, "
                      "'processing' FROM rooms WHERE name = ?1");
  s.bind(1, d.room);
  s.bind(2, d.name);
  s.bind(3, d.media_type);
  s.bind(4, d.kind);
  s.bind(5, static_cast<std::int64_t>(d.size));
  s.bind(6, d.sha256);
  s.bind(7, d.uploader);
  s.bind(8, d.ts_ms);
  if (s.exec() == 0) return std::nullopt;
  return by_id(static_cast<std::uint64_t>(db_.getLastInsertRowid()));
}

std::optional<protocol::Document> SqliteDocumentStore::add_passages(
    std::uint64_t id, const std::vector<NewPassage>& passages) {
  const auto doc = by_id(id);
  if (!doc) return std::nullopt;
  // A savepoint of its own: all the passages or none (it nests in a batch's transaction).
  db_.exec("SAVEPOINT parley_passages");
  try {
    SQLite::Statement clear(db_, "DELETE FROM passages WHERE document_id = ?1");
    clear.bind(1, static_cast<std::int64_t>(id));
    clear.exec();
    SQLite::Statement insert(db_,
                             "INSERT INTO passages (document_id, room_id, idx, location, text) "
                             "SELECT ?1, room_id, ?2, ?3, ?4 FROM documents WHERE id = ?1");
    std::int64_t idx = 0;
    for (const NewPassage& p : passages) {
      insert.bind(1, static_cast<std::int64_t>(id));
      insert.bind(2, idx++);
      insert.bind(3, p.location);
      insert.bind(4, p.text);
      insert.exec();
      insert.reset();
    }
    SQLite::Statement ready(db_,
                            "UPDATE documents SET state = 'ready', progress = 100, passages = ?2, "
                            "error = '' WHERE id = ?1");
    ready.bind(1, static_cast<std::int64_t>(id));
    ready.bind(2, static_cast<std::int64_t>(passages.size()));
    ready.exec();
  } catch (...) {
    db_.exec("ROLLBACK TO parley_passages");
    db_.exec("RELEASE parley_passages");
    throw;
  }
  db_.exec("RELEASE parley_passages");
  return by_id(id);
}

std::optional<protocol::Document> SqliteDocumentStore::set_progress(std::uint64_t id,
                                                                    std::uint32_t percent) {
  SQLite::Statement s(db_,
                      "UPDATE documents SET progress = ?2 WHERE id = ?1 AND state = 'processing'");
  s.bind(1, static_cast<std::int64_t>(id));
  s.bind(2, static_cast<std::int64_t>(percent > 100 ? 100 : percent));
  s.exec();
  return by_id(id);
}

std::optional<protocol::Document> SqliteDocumentStore::fail(std::uint64_t id,
                                                            const std::string& error) {
  SQLite::Statement s(db_, "UPDATE documents SET state = 'failed', error = ?2 WHERE id = ?1");
  s.bind(1, static_cast<std::int64_t>(id));
  s.bind(2, error);
  s.exec();
  return by_id(id);
}

std::optional<protocol::Document> SqliteDocumentStore::find(const std::string& room,
                                                            std::uint64_t id) {
  SQLite::Statement s(db_, std::string(kColumns) + "WHERE d.id = ?1 AND r.name = ?2");
  s.bind(1, static_cast<std::int64_t>(id));
  s.bind(2, room);
  if (!s.executeStep()) return std::nullopt;
  return read_document(s);
}

std::vector<protocol::Document> SqliteDocumentStore::list(const std::string& room) {
  SQLite::Statement s(db_, std::string(kColumns) + "WHERE r.name = ?1 ORDER BY d.id");
  s.bind(1, room);
  std::vector<protocol::Document> out;
  while (s.executeStep()) out.push_back(read_document(s));
  return out;
}

bool SqliteDocumentStore::remove(const std::string& room, std::uint64_t id) {
  SQLite::Statement s(db_,
                      "DELETE FROM documents WHERE id = ?1 AND room_id = "
                      "(SELECT id FROM rooms WHERE name = ?2)");
  s.bind(1, static_cast<std::int64_t>(id));
  s.bind(2, room);
  return s.exec() > 0;
}

std::uint64_t SqliteDocumentStore::count_with_hash(const std::string& sha256) {
  SQLite::Statement s(db_, "SELECT count(*) FROM documents WHERE sha256 = ?1");
  s.bind(1, sha256);
  s.executeStep();
  return static_cast<std::uint64_t>(s.getColumn(0).getInt64());
}

std::vector<PassageHit> SqliteDocumentStore::search(const std::string& room,
                                                    const std::vector<std::string>& terms,
                                                    std::uint32_t limit) {
  std::vector<PassageHit> hits;
  const std::string match = fts_any_of(terms);
  if (match.empty() || limit == 0) return hits;
  SQLite::Statement s(db_,
                      "SELECT d.id, d.name, p.location, p.text, -bm25(passage_search) "
                      "FROM passage_search JOIN passages p ON p.id = passage_search.rowid "
                      "JOIN documents d ON d.id = p.document_id "
                      "WHERE passage_search MATCH ?1 AND d.state = 'ready' AND p.room_id = "
                      "(SELECT id FROM rooms WHERE name = ?2) "
                      "ORDER BY bm25(passage_search) LIMIT ?3");
  s.bind(1, match);
  s.bind(2, room);
  s.bind(3, static_cast<std::int64_t>(limit));
  while (s.executeStep()) {
    hits.push_back({static_cast<std::uint64_t>(s.getColumn(0).getInt64()),
                    s.getColumn(1).getString(), s.getColumn(2).getString(),
                    s.getColumn(3).getString(), s.getColumn(4).getDouble()});
  }
  return hits;
}

}  // namespace parley::history
