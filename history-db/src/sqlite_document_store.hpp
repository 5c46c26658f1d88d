// DocumentStore on the history's SQLite connection (schema step 8).
#pragma once

#include <SQLiteCpp/Database.h>

#include "parley/history/document_store.hpp"

namespace parley::history {

class SqliteDocumentStore final : public DocumentStore {
 public:
  explicit SqliteDocumentStore(SQLite::Database& db) : db_(db) {}

  std::optional<protocol::Document> add(const NewDocument& d) override;
  std::optional<protocol::Document> add_passages(std::uint64_t id,
                                                 const std::vector<NewPassage>& passages) override;
  std::optional<protocol::Document> set_progress(std::uint64_t id, std::uint32_t percent) override;
  std::optional<protocol::Document> fail(std::uint64_t id, const std::string& error) override;
  std::optional<protocol::Document> find(const std::string& room, std::uint64_t id) override;
  std::vector<protocol::Document> list(const std::string& room) override;
  bool remove(const std::string& room, std::uint64_t id) override;
  std::uint64_t count_with_hash(const std::string& sha256) override;
  std::vector<PassageHit> search(const std::string& room, const std::vector<std::string>& terms,
                                 std::uint32_t limit) override;

 private:
  std::optional<protocol::Document> by_id(std::uint64_t id);

  SQLite::Database& db_;
};

}  // namespace parley::history
