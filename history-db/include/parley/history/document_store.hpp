// Documents given to rooms and their passages, searchable by full text. Reached through
// HistoryStore::documents(), on the same thread and database as the history (so a
// document and the room it belongs to go together: deleting a room deletes them).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "parley/protocol.hpp"

namespace parley::history {

struct NewDocument {
  std::string room;
  std::string name;
  std::string media_type;
  std::string kind;
  std::uint64_t size = 0;
  std::string sha256;
  std::string uploader;
  std::int64_t ts_ms = 0;
};

struct NewPassage {
  std::string location;  // "page 3", "lines 12–30"
  std::string text;
};

// A passage found for a question: higher scores are better (SQLite's bm25 negated).
struct PassageHit {
  std::uint64_t document_id = 0;
  std::string document;  // the document's name
  std::string location;
  std::string text;
  double score = 0;
};

class DocumentStore {
 public:
  virtual ~DocumentStore() = default;

  // Adds a document (state "processing") to an existing room; nullopt when there is no
  // such room.
  virtual std::optional<protocol::Document> add(const NewDocument& d) = 0;
  // Stores the document's passages (replacing any) and marks it ready.
  virtual std::optional<protocol::Document> add_passages(std::uint64_t id,
                                                         const std::vector<NewPassage>& passages) = 0;
  // Moves a processing document on: its progress, or failed with `error`.
  virtual std::optional<protocol::Document> set_progress(std::uint64_t id, std::uint32_t percent) = 0;
  virtual std::optional<protocol::Document> fail(std::uint64_t id, const std::string& error) = 0;

  virtual std::optional<protocol::Document> find(const std::string& room, std::uint64_t id) = 0;
  // A room's documents, oldest first.
  virtual std::vector<protocol::Document> list(const std::string& room) = 0;
  // Deletes the document and its passages; false when the room has no such document.
  virtual bool remove(const std::string& room, std::uint64_t id) = 0;
  // How many documents (of any room) are stored under this content hash.
  virtual std::uint64_t count_with_hash(const std::string& sha256) = 0;

  // Passages of the room's ready documents matching any of `terms` (whole words, without
  // regard to case or accents), best first, at most `limit`.
  virtual std::vector<PassageHit> search(const std::string& room,
                                         const std::vector<std::string>& terms,
                                         std::uint32_t limit) = 0;
};

}  // namespace parley::history
