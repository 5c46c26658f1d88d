// Documents and their passages: kept with their room, searched by full text.
#include <gtest/gtest.h>

#include "parley/history/sqlite_history_store.hpp"

namespace parley::history {
namespace {

NewDocument doc(std::string room, std::string name) {
  NewDocument d;
  d.room = std::move(room);
  d.name = std::move(name);
  d.media_type = std::string("text/plain");
  d.kind = std::string("text");
  d.size = 120;
  d.sha256 = std::string(64, 'a');
  d.uploader = std::string("ann");
  d.ts_ms = 1000;
  return d;
}

TEST(SqliteDocumentStore, ADocumentGoesFromProcessingToReadyWithItsPassages) {
  SqliteHistoryStore store(":memory:");
  store.ensure_room("lobby");
  auto& docs = store.documents();
  const auto added = docs.add(doc("lobby", "handbook.txt"));
  ASSERT_TRUE(added);
  EXPECT_EQ(added->state, "processing");
  EXPECT_EQ(added->room, "lobby");
  EXPECT_EQ(docs.set_progress(added->id, 40)->progress, 40u);
  const auto ready = docs.add_passages(
      added->id, {{"lines 1–3", "The office opens at nine. Visitors sign in at the desk."},
                  {"lines 4–6", "Parking is behind the building, level two."}});
  ASSERT_TRUE(ready);
  EXPECT_EQ(ready->state, "ready");
  EXPECT_EQ(ready->passages, 2u);
  EXPECT_EQ(ready->progress, 100u);

  const auto hits = docs.search("lobby", {"parking", "building"}, 5);
  ASSERT_EQ(hits.size(), 1u);
  EXPECT_EQ(hits[0].document, "handbook.txt");
  EXPECT_EQ(hits[0].location, "lines 4–6");
  EXPECT_GT(hits[0].score, 0.0);
  EXPECT_TRUE(docs.search("elsewhere", {"parking"}, 5).empty()) << "another room's documents";
  EXPECT_TRUE(docs.search("lobby", {"\"", "*"}, 5).empty()) << "no query syntax";
}

TEST(SqliteDocumentStore, ProcessingAndFailedDocumentsAreNotSearched) {
  SqliteHistoryStore store(":memory:");
  store.ensure_room("lobby");
  auto& docs = store.documents();
  const auto a = docs.add(doc("lobby", "a.txt"));
  docs.add_passages(a->id, {{"line 1", "zebra crossing"}});
  const auto failed = docs.fail(a->id, "bad_document: not UTF-8");
  EXPECT_EQ(failed->state, "failed");
  EXPECT_EQ(failed->error, "bad_document: not UTF-8");
  EXPECT_TRUE(docs.search("lobby", {"zebra"}, 5).empty());
  EXPECT_FALSE(docs.add(doc("nowhere", "b.txt"))) << "no such room";
}

TEST(SqliteDocumentStore, RemovingADocumentOrItsRoomTakesThePassagesAlong) {
  SqliteHistoryStore store(":memory:");
  store.ensure_room("lobby");
  store.ensure_room("other");
  auto& docs = store.documents();
  const auto a = docs.add(doc("lobby", "a.txt"));
  const auto b = docs.add(doc("other", "b.txt"));
  docs.add_passages(a->id, {{"line 1", "zebra crossing"}});
  docs.add_passages(b->id, {{"line 1", "zebra stripes"}});
  EXPECT_EQ(docs.count_with_hash(std::string(64, 'a')), 2u);
  EXPECT_FALSE(docs.remove("other", a->id)) << "a document is removed through its own room";
  EXPECT_TRUE(docs.remove("lobby", a->id));
  EXPECT_TRUE(docs.search("lobby", {"zebra"}, 5).empty());
  EXPECT_EQ(docs.list("lobby").size(), 0u);
  EXPECT_TRUE(store.delete_room("other"));
  store.ensure_room("other");
  EXPECT_TRUE(docs.list("other").empty());
  EXPECT_TRUE(docs.search("other", {"zebra"}, 5).empty());
  EXPECT_EQ(docs.count_with_hash(std::string(64, 'a')), 0u);
}

}  // namespace
}  // namespace parley::history
