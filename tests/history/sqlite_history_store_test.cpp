#include "parley/history/sqlite_history_store.hpp"

#include <SQLiteCpp/Database.h>
#include <gtest/gtest.h>

#include <stdexcept>
#include <string>
#include <vector>

#include "migrations.hpp"
#include "temp_db.hpp"

namespace parley::history {
namespace {

using testing::TempDb;

NewMessage user_message(const std::string& room, const std::string& author,
                        const std::string& text, const std::string& client_id = "") {
  NewMessage m;
  m.room = room;
  m.author = author;
  m.text = text;
  m.client_id = client_id;
  m.ts_ms = 1'700'000'000'000;
  return m;
}

// An assistant reply that has just started streaming.
NewMessage reply_row(const std::string& room, const std::string& text = "") {
  NewMessage m;
  m.room = room;
  m.author = "Parley";
  m.kind = MessageKind::assistant;
  m.text = text;
  m.gen_id = "g1";
  m.status = MessageStatus::streaming;
  m.ts_ms = 1'700'000'000'000;
  return m;
}

std::vector<std::uint64_t> seqs(const std::vector<ChatMessage>& messages) {
  std::vector<std::uint64_t> out;
  for (const auto& m : messages) out.push_back(m.seq);
  return out;
}

class SqliteHistoryStoreTest : public ::testing::Test {
 protected:
  SqliteHistoryStore store{":memory:"};

  // Texts are m0, m1, ... (built with += : GCC 12 misreports "m" + to_string as -Wrestrict).
  void append_n(const std::string& room, int n) {
    for (int i = 0; i < n; ++i) {
      std::string text = "m";
      text += std::to_string(i);
      store.append(user_message(room, "ann", text));
    }
  }
};

TEST_F(SqliteHistoryStoreTest, EnsureRoomCreatesOnceWithAStableEpoch) {
  EXPECT_FALSE(store.find_room("lobby").has_value());

  const RoomInfo created = store.ensure_room("lobby");
  EXPECT_EQ(created.name, "lobby");
  EXPECT_EQ(created.head_seq, 0u);
  ASSERT_EQ(created.epoch.size(), 16u);
  EXPECT_EQ(created.epoch.find_first_not_of("0123456789abcdef"), std::string::npos);

  EXPECT_EQ(store.ensure_room("lobby").epoch, created.epoch);
  const auto found = store.find_room("lobby");
  ASSERT_TRUE(found.has_value());
  EXPECT_EQ(found->epoch, created.epoch);
}

TEST_F(SqliteHistoryStoreTest, EachRoomGetsItsOwnEpoch) {
  EXPECT_NE(store.ensure_room("a").epoch, store.ensure_room("b").epoch);
}

TEST_F(SqliteHistoryStoreTest, AppendCreatesTheRoomAndStoresEveryField) {
  NewMessage m;
  m.room = "lab";
  m.author = "Parley";
  m.kind = MessageKind::assistant;
  m.text = "héllo, мир 👋";
  m.gen_id = "g-1";
  m.status = MessageStatus::streaming;
  m.ts_ms = 42;

  const AppendResult r = store.append(m);
  EXPECT_FALSE(r.duplicate);
  const ChatMessage expected{"lab", 1, "Parley", MessageKind::assistant, "héllo, мир 👋",
                             "",    "g-1", MessageStatus::streaming, 42, 0, ""};
  EXPECT_EQ(r.message, expected);
  EXPECT_EQ(store.at("lab", 1), expected);
  EXPECT_EQ(store.find_room("lab")->head_seq, 1u);
}

TEST_F(SqliteHistoryStoreTest, SeqIncreasesPerRoomIndependently) {
  std::vector<std::uint64_t> a, b;
  for (int i = 0; i < 3; ++i) {
    a.push_back(store.append(user_message("a", "ann", "x")).message.seq);
    b.push_back(store.append(user_message("b", "bob", "y")).message.seq);
  }
  a.push_back(store.append(user_message("a", "ann", "z")).message.seq);
  EXPECT_EQ(a, (std::vector<std::uint64_t>{1, 2, 3, 4}));
  EXPECT_EQ(b, (std::vector<std::uint64_t>{1, 2, 3}));
  EXPECT_EQ(store.find_room("a")->head_seq, 4u);
  EXPECT_EQ(store.find_room("b")->head_seq, 3u);
}

TEST_F(SqliteHistoryStoreTest, RetriedClientIdReturnsTheOriginal) {
  const AppendResult first = store.append(user_message("lobby", "ann", "hello", "c1"));
  const AppendResult retry = store.append(user_message("lobby", "ann", "hello again", "c1"));

  EXPECT_TRUE(retry.duplicate);
  EXPECT_EQ(retry.message, first.message);
  EXPECT_EQ(retry.message.text, "hello");
  EXPECT_EQ(store.find_room("lobby")->head_seq, 1u);
  EXPECT_EQ(store.recent("lobby", 10).size(), 1u);
}

TEST_F(SqliteHistoryStoreTest, SameClientIdFromAnotherAuthorOrRoomIsANewMessage) {
  store.append(user_message("lobby", "ann", "from ann", "c1"));
  const AppendResult bob = store.append(user_message("lobby", "bob", "from bob", "c1"));
  const AppendResult elsewhere = store.append(user_message("other", "ann", "again", "c1"));

  EXPECT_FALSE(bob.duplicate);
  EXPECT_EQ(bob.message.seq, 2u);
  EXPECT_EQ(bob.message.author, "bob");
  EXPECT_FALSE(elsewhere.duplicate);
  EXPECT_EQ(elsewhere.message.seq, 1u);
}

TEST_F(SqliteHistoryStoreTest, EmptyIdsAreNeverDuplicatesAndReadBackEmpty) {
  const AppendResult first = store.append(user_message("lobby", "sys", "one"));
  const AppendResult second = store.append(user_message("lobby", "sys", "two"));
  EXPECT_FALSE(second.duplicate);
  EXPECT_EQ(second.message.seq, first.message.seq + 1);
  for (const auto& m : store.recent("lobby", 10)) {
    EXPECT_EQ(m.client_id, "");
    EXPECT_EQ(m.gen_id, "");
  }
}

TEST_F(SqliteHistoryStoreTest, UpdateReplacesTextAndStatus) {
  NewMessage reply = user_message("lobby", "Parley", "");
  reply.kind = MessageKind::assistant;
  reply.status = MessageStatus::streaming;
  const auto seq = store.append(reply).message.seq;

  EXPECT_TRUE(store.update("lobby", seq, "partial", MessageStatus::streaming));
  EXPECT_EQ(store.at("lobby", seq)->text, "partial");
  EXPECT_TRUE(store.update("lobby", seq, "the whole reply", MessageStatus::complete));

  const auto stored = store.at("lobby", seq);
  ASSERT_TRUE(stored.has_value());
  EXPECT_EQ(stored->text, "the whole reply");
  EXPECT_EQ(stored->status, MessageStatus::complete);
  EXPECT_EQ(stored->kind, MessageKind::assistant);
}

TEST_F(SqliteHistoryStoreTest, UpdateOfAMissingMessageReturnsFalse) {
  append_n("lobby", 1);
  EXPECT_FALSE(store.update("lobby", 2, "x", MessageStatus::complete));
  EXPECT_FALSE(store.update("nowhere", 1, "x", MessageStatus::complete));
  EXPECT_EQ(store.at("lobby", 1)->text, "m0");
}

TEST_F(SqliteHistoryStoreTest, AtFindsOnlyStoredPositions) {
  append_n("lobby", 2);
  EXPECT_EQ(store.at("lobby", 2)->text, "m1");
  EXPECT_FALSE(store.at("lobby", 0).has_value());
  EXPECT_FALSE(store.at("lobby", 3).has_value());
  EXPECT_FALSE(store.at("nowhere", 1).has_value());
}

TEST_F(SqliteHistoryStoreTest, RecentReturnsTheNewestInAscendingOrder) {
  append_n("lobby", 5);
  append_n("other", 2);
  EXPECT_EQ(seqs(store.recent("lobby", 3)), (std::vector<std::uint64_t>{3, 4, 5}));
  EXPECT_EQ(seqs(store.recent("lobby", 50)), (std::vector<std::uint64_t>{1, 2, 3, 4, 5}));
  EXPECT_TRUE(store.recent("lobby", 0).empty());
  EXPECT_TRUE(store.recent("nowhere", 10).empty());
  for (const auto& m : store.recent("other", 10)) EXPECT_EQ(m.room, "other");
}

TEST_F(SqliteHistoryStoreTest, AfterReturnsTheNextMessagesInAscendingOrder) {
  append_n("lobby", 5);
  EXPECT_EQ(seqs(store.after("lobby", 0, 2)), (std::vector<std::uint64_t>{1, 2}));
  EXPECT_EQ(seqs(store.after("lobby", 2, 10)), (std::vector<std::uint64_t>{3, 4, 5}));
  EXPECT_TRUE(store.after("lobby", 5, 10).empty());
  EXPECT_TRUE(store.after("lobby", 1, 0).empty());
  EXPECT_TRUE(store.after("nowhere", 0, 10).empty());
}

TEST_F(SqliteHistoryStoreTest, ReadsAreClampedToAThousandRows) {
  store.batch([&] { append_n("lobby", 1005); });
  const auto newest = store.recent("lobby", 5000);
  ASSERT_EQ(newest.size(), 1000u);
  EXPECT_EQ(newest.front().seq, 6u);
  EXPECT_EQ(newest.back().seq, 1005u);
  const auto oldest = store.after("lobby", 0, 5000);
  ASSERT_EQ(oldest.size(), 1000u);
  EXPECT_EQ(oldest.front().seq, 1u);
  EXPECT_EQ(oldest.back().seq, 1000u);
}

TEST_F(SqliteHistoryStoreTest, InterruptStreamingMarksOnlyStreamingMessages) {
  NewMessage streaming = user_message("a", "Parley", "half");
  streaming.kind = MessageKind::assistant;
  streaming.status = MessageStatus::streaming;
  store.append(streaming);
  append_n("a", 1);
  streaming.room = "b";
  store.append(streaming);

  EXPECT_EQ(store.interrupt_streaming(), 2u);
  EXPECT_EQ(store.at("a", 1)->status, MessageStatus::interrupted);
  EXPECT_EQ(store.at("a", 1)->text, "half");
  EXPECT_EQ(store.at("a", 2)->status, MessageStatus::complete);
  EXPECT_EQ(store.at("b", 1)->status, MessageStatus::interrupted);
  EXPECT_EQ(store.interrupt_streaming(), 0u);
}

TEST_F(SqliteHistoryStoreTest, BatchCommitsAllItsWritesTogether) {
  store.batch([&] {
    append_n("lobby", 1);
    store.append(reply_row("lobby", "m1"));
    append_n("lobby", 1);
    EXPECT_TRUE(store.update("lobby", 2, "edited", MessageStatus::streaming));
    EXPECT_EQ(store.find_room("lobby")->head_seq, 3u);  // visible inside the batch
  });
  EXPECT_EQ(seqs(store.recent("lobby", 10)), (std::vector<std::uint64_t>{1, 2, 3}));
  EXPECT_EQ(store.at("lobby", 2)->text, "edited");
}

TEST_F(SqliteHistoryStoreTest, BatchThatThrowsStoresNothing) {
  append_n("lobby", 1);
  EXPECT_THROW(store.batch([&] {
    append_n("lobby", 2);
    store.append(user_message("new-room", "ann", "x"));
    store.update("lobby", 1, "edited", MessageStatus::complete);
    throw std::runtime_error("provider failed");
  }),
               std::runtime_error);

  EXPECT_EQ(store.find_room("lobby")->head_seq, 1u);
  EXPECT_EQ(seqs(store.recent("lobby", 10)), (std::vector<std::uint64_t>{1}));
  EXPECT_EQ(store.at("lobby", 1)->text, "m0");
  EXPECT_FALSE(store.find_room("new-room").has_value());
  // The seq the rolled-back batch used is handed out again: it was never visible.
  EXPECT_EQ(store.append(user_message("lobby", "ann", "next")).message.seq, 2u);
}

TEST_F(SqliteHistoryStoreTest, NestedBatchJoinsTheOuterTransaction) {
  EXPECT_THROW(store.batch([&] {
    store.batch([&] { append_n("lobby", 2); });
    throw std::runtime_error("outer fails after inner finished");
  }),
               std::runtime_error);
  EXPECT_FALSE(store.find_room("lobby").has_value());

  store.batch([&] {
    append_n("lobby", 1);
    store.batch([&] { append_n("lobby", 1); });
  });
  EXPECT_EQ(store.find_room("lobby")->head_seq, 2u);
}

TEST_F(SqliteHistoryStoreTest, NestedBatchThatThrowsUndoesOnlyItsOwnWrites) {
  store.batch([&] {
    append_n("lobby", 1);
    EXPECT_THROW(store.batch([&] {
      append_n("lobby", 2);
      throw std::runtime_error("inner");
    }),
                 std::runtime_error);
    append_n("lobby", 1);
  });
  EXPECT_EQ(seqs(store.recent("lobby", 10)), (std::vector<std::uint64_t>{1, 2}));
}

TEST_F(SqliteHistoryStoreTest, AppendOfADuplicateInsideABatchChangesNothing) {
  store.append(user_message("lobby", "ann", "hello", "c1"));
  store.batch([&] {
    EXPECT_TRUE(store.append(user_message("lobby", "ann", "hello", "c1")).duplicate);
    EXPECT_EQ(store.append(user_message("lobby", "ann", "new", "c2")).message.seq, 2u);
  });
  EXPECT_EQ(store.find_room("lobby")->head_seq, 2u);
}

TEST_F(SqliteHistoryStoreTest, ReportsTheCurrentSchemaVersion) {
  EXPECT_GE(store.schema_version(), 1);
}

TEST_F(SqliteHistoryStoreTest, SearchFindsWordsOfOneRoomBestFirstBeforeAPosition) {
  auto say = [&](const std::string& room, const std::string& text,
                 MessageKind kind = MessageKind::user, MessageStatus status = MessageStatus::complete) {
    NewMessage m;
    m.room = room;
    m.author = "ann";
    m.kind = kind;
    m.text = text;
    m.status = status;
    m.ts_ms = 1;
    return store.append(m).message.seq;
  };
  say("lab", "The deploy is on Friday");                                      // 1
  say("lab", "Lunch on Friday? The café near the deploy room");               // 2
  say("other", "deploy deploy deploy");                                       // another room
  const auto reply = say("lab", "", MessageKind::assistant, MessageStatus::streaming);  // 3
  say("lab", "nothing to see");                                               // 4
  EXPECT_TRUE(store.search("lab", {"café"}, 100, 5).size() == 1);
  EXPECT_EQ(store.search("lab", {"CAFE"}, 100, 5).size(), 1u) << "case and accents ignored";

  auto hits = store.search("lab", {"deploy", "friday"}, 100, 5);
  ASSERT_EQ(hits.size(), 2u) << "other rooms are not searched";
  EXPECT_EQ(hits[0].message.seq, 1u) << "the shorter message with both words ranks first";
  EXPECT_GT(hits[0].score, hits[1].score);
  EXPECT_NE(hits[0].passage.find("deploy"), std::string::npos);
  EXPECT_EQ(store.search("lab", {"deploy"}, 2, 5).size(), 1u) << "only before seq 2";

  // A reply is searchable once it has ended, not while it streams.
  EXPECT_TRUE(store.update("lab", reply, "the deploy moved to Monday", MessageStatus::streaming));
  EXPECT_TRUE(store.search("lab", {"monday"}, 100, 5).empty());
  store.end_reply("lab", reply, "the deploy moved to Monday", MessageStatus::complete, 2);
  ASSERT_EQ(store.search("lab", {"monday"}, 100, 5).size(), 1u);
  EXPECT_EQ(store.search("lab", {"monday"}, 100, 5)[0].message.seq, reply);

  // Query syntax in a term is only text; a deleted room leaves nothing behind.
  EXPECT_TRUE(store.search("lab", {"deploy\" OR \"x", "zzz*", "*", "NEAR(x y)"}, 100, 5).empty());
  EXPECT_TRUE(store.delete_room("lab"));
  say("lab", "fresh start");
  EXPECT_TRUE(store.search("lab", {"deploy"}, 100, 5).empty());
}

TEST(SqliteHistoryStoreFileTest, DataSurvivesReopening) {
  TempDb db;
  std::string epoch;
  {
    SqliteHistoryStore store(db.path());
    epoch = store.ensure_room("lobby").epoch;
    store.append(user_message("lobby", "ann", "first", "c1"));
    store.batch([&] { store.append(user_message("lobby", "bob", "second")); });
    store.append(reply_row("lobby", "growing"));
    store.update("lobby", 3, "grown", MessageStatus::streaming);
  }
  SqliteHistoryStore store(db.path());
  const auto room = store.find_room("lobby");
  ASSERT_TRUE(room.has_value());
  EXPECT_EQ(room->epoch, epoch);
  EXPECT_EQ(room->head_seq, 3u);
  const auto history = store.recent("lobby", 10);
  ASSERT_EQ(history.size(), 3u);
  EXPECT_EQ(history[0].text, "first");
  EXPECT_EQ(history[2].text, "grown");
  EXPECT_EQ(history[0].client_id, "c1");
  EXPECT_EQ(history[1].author, "bob");
  EXPECT_TRUE(store.append(user_message("lobby", "ann", "again", "c1")).duplicate);
  EXPECT_EQ(store.append(user_message("lobby", "ann", "third")).message.seq, 4u);
}

TEST(SqliteHistoryStoreFileTest, FileIsInWalMode) {
  TempDb db;
  { SqliteHistoryStore store(db.path()); }
  SQLite::Database raw(db.path());
  EXPECT_EQ(raw.execAndGet("PRAGMA journal_mode").getString(), "wal");
}

TEST(SqliteHistoryStoreFileTest, CreatesAMissingParentFolder) {
  TempDb db;
  const std::string nested = (db.dir() / "data" / "parley.db").string();
  SqliteHistoryStore store(nested);
  store.append(user_message("lobby", "ann", "hi"));
  EXPECT_EQ(store.recent("lobby", 1).size(), 1u);
}


TEST_F(SqliteHistoryStoreTest, ARetryIsFoundWhateverTheLetterCaseOfItsAuthor) {
  const auto first = store.append(user_message("lobby", "Ann", "hello", "c-1"));
  const auto again = store.append(user_message("lobby", "ann", "hello", "c-1"));
  EXPECT_FALSE(first.duplicate);
  EXPECT_TRUE(again.duplicate);
  EXPECT_EQ(again.message.seq, first.message.seq);
  EXPECT_EQ(again.message.author, "Ann");
  // Another author's id is another message.
  EXPECT_FALSE(store.append(user_message("lobby", "bob", "hello", "c-1")).duplicate);
  EXPECT_EQ(store.recent("lobby", 10).size(), 2u);
}

TEST_F(SqliteHistoryStoreTest, AnOwedReplyLastsUntilAReplyToItIsStored) {
  const auto q1 = store.append(user_message("lobby", "ann", "one?", "q-1")).message;
  const auto q2 = store.append(user_message("lobby", "ann", "two?", "q-2")).message;
  store.await_reply("lobby", q1.seq, "", 10);
  store.await_reply("lobby", q2.seq, R"({"max_tokens":5})", 20);
  store.await_reply("lobby", q2.seq, "", 30);  // once is enough
  auto owed = store.pending_replies();
  ASSERT_EQ(owed.size(), 2u);
  EXPECT_EQ(owed[0].room, "lobby");
  EXPECT_EQ(owed[0].seq, q1.seq);
  EXPECT_EQ(owed[1].seq, q2.seq);
  EXPECT_EQ(owed[1].options, R"({"max_tokens":5})");

  // A reply's first row discharges its question's duty, and only that one.
  auto reply = reply_row("lobby");
  reply.ref = q1.seq;
  store.append(reply);
  owed = store.pending_replies();
  ASSERT_EQ(owed.size(), 1u);
  EXPECT_EQ(owed[0].seq, q2.seq);
  // A step event pointing at the question does not.
  NewMessage step = reply_row("lobby");
  step.kind = MessageKind::step;
  step.ref = q2.seq;
  store.append(step);
  EXPECT_EQ(store.pending_replies().size(), 1u);

  store.drop_pending_reply("lobby", q2.seq);
  EXPECT_TRUE(store.pending_replies().empty());
}

TEST_F(SqliteHistoryStoreTest, OwedRepliesGoWithTheirRoom) {
  store.create_room("team", RoomType::group, "ann", AssistantMode::always);
  const auto q = store.append(user_message("team", "ann", "hello?", "q-1")).message;
  store.await_reply("team", q.seq, "", 1);
  ASSERT_EQ(store.pending_replies().size(), 1u);
  EXPECT_TRUE(store.delete_room("team"));
  EXPECT_TRUE(store.pending_replies().empty());
}

TEST(SqliteHistoryStoreFileTest, AnOwedReplyIsAsDurableAsItsMessage) {
  TempDb file;
  std::uint64_t seq = 0;
  {
    SqliteHistoryStore store(file.path());
    store.batch([&] {
      seq = store.append(user_message("lobby", "ann", "still there?", "q-1")).message.seq;
      store.await_reply("lobby", seq, "", 5);
    });
  }
  SqliteHistoryStore reopened(file.path());
  const auto owed = reopened.pending_replies();
  ASSERT_EQ(owed.size(), 1u);
  EXPECT_EQ(owed[0].seq, seq);
}

}  // namespace
}  // namespace parley::history

namespace parley::history {
namespace {

TEST_F(SqliteHistoryStoreTest, EndReplyStoresTheTextAndAppendsAnEndEvent) {
  append_n("lobby", 1);
  store.append(reply_row("lobby", "par"));
  append_n("lobby", 1);  // someone speaks while the reply streams
  const auto end = store.end_reply("lobby", 2, "partial and whole", MessageStatus::complete, 42);
  ASSERT_TRUE(end.has_value());
  EXPECT_EQ(end->seq, 4u);
  EXPECT_EQ(end->kind, MessageKind::end);
  EXPECT_EQ(end->ref, 2u);
  EXPECT_EQ(end->gen_id, "g1");
  EXPECT_EQ(end->author, "Parley");
  EXPECT_EQ(end->text, "partial and whole");
  EXPECT_EQ(end->status, MessageStatus::complete);
  EXPECT_EQ(end->ts_ms, 42);
  EXPECT_EQ(store.find_room("lobby")->head_seq, 4u);

  const auto reply = store.at("lobby", 2);
  EXPECT_EQ(reply->text, "partial and whole");
  EXPECT_EQ(reply->status, MessageStatus::complete);
  // Read back, the end event carries the reply's text (stored once, in the reply).
  const auto events = store.after("lobby", 3, 10);
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0], *end);
}

TEST_F(SqliteHistoryStoreTest, AnEndedReplyNeverChangesAgain) {
  store.append(reply_row("lobby", "a"));
  EXPECT_TRUE(store.update("lobby", 1, "ab", MessageStatus::streaming));
  ASSERT_TRUE(store.end_reply("lobby", 1, "abc", MessageStatus::complete, 1));
  // A checkpoint that arrives after the end, and a second end, change nothing.
  EXPECT_FALSE(store.update("lobby", 1, "ab", MessageStatus::streaming));
  EXPECT_FALSE(store.end_reply("lobby", 1, "x", MessageStatus::interrupted, 2));
  EXPECT_EQ(store.at("lobby", 1)->text, "abc");
  EXPECT_EQ(store.at("lobby", 1)->status, MessageStatus::complete);
  EXPECT_EQ(store.find_room("lobby")->head_seq, 2u);
}

TEST_F(SqliteHistoryStoreTest, EndReplyRefusesWhatIsNotAReply) {
  append_n("lobby", 1);
  EXPECT_FALSE(store.end_reply("lobby", 1, "x", MessageStatus::complete, 1));
  EXPECT_FALSE(store.end_reply("lobby", 9, "x", MessageStatus::complete, 1));
  EXPECT_FALSE(store.end_reply("nowhere", 1, "x", MessageStatus::complete, 1));
  EXPECT_EQ(store.find_room("lobby")->head_seq, 1u);
  EXPECT_EQ(store.at("lobby", 1)->text, "m0");
}

TEST_F(SqliteHistoryStoreTest, InterruptStreamingAppendsAnEndEventPerReply) {
  store.append(reply_row("a", "checkpointed"));
  append_n("a", 1);
  store.append(reply_row("b"));
  EXPECT_EQ(store.interrupt_streaming(), 2u);
  const auto a = store.after("a", 0, 10);
  ASSERT_EQ(a.size(), 3u);
  EXPECT_EQ(a[2].kind, MessageKind::end);
  EXPECT_EQ(a[2].ref, 1u);
  EXPECT_EQ(a[2].status, MessageStatus::interrupted);
  EXPECT_EQ(a[2].text, "checkpointed");
  const auto b = store.after("b", 0, 10);
  ASSERT_EQ(b.size(), 2u);
  EXPECT_EQ(b[1].kind, MessageKind::end);
  EXPECT_EQ(b[1].ref, 1u);
}

TEST(SqliteHistoryStoreFileTest, AVersionOneFileIsMigratedWithItsMessages) {
  TempDb db;
  {
    // A file as version 1 of the schema left it.
    SQLite::Database raw(db.path(), SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
    raw.exec(R"sql(
CREATE TABLE rooms (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE, epoch TEXT NOT NULL,
  head_seq INTEGER NOT NULL DEFAULT 0, created_ms INTEGER NOT NULL);
CREATE TABLE messages (room_id INTEGER NOT NULL REFERENCES rooms(id), seq INTEGER NOT NULL,
  author TEXT NOT NULL, kind TEXT NOT NULL CHECK (kind IN ('user', 'assistant', 'system')),
  text TEXT NOT NULL, client_id TEXT, gen_id TEXT,
  status TEXT NOT NULL CHECK (status IN ('complete', 'streaming', 'interrupted')),
  ts_ms INTEGER NOT NULL, PRIMARY KEY (room_id, seq)) WITHOUT ROWID;
CREATE UNIQUE INDEX messages_by_client_id
  ON messages (room_id, author, client_id) WHERE client_id IS NOT NULL;
CREATE INDEX messages_streaming ON messages (status) WHERE status = 'streaming';
INSERT INTO rooms VALUES (1, 'lobby', '00000000000000aa', 2, 1);
INSERT INTO messages VALUES (1, 1, 'ann', 'user', 'old', 'c1', NULL, 'complete', 5);
INSERT INTO messages VALUES (1, 2, 'Parley', 'assistant', 'cut', NULL, 'g1', 'streaming', 6);
PRAGMA user_version = 1;
)sql");
  }
  SqliteHistoryStore store(db.path());
  EXPECT_EQ(store.schema_version(), migrations::latest_version());
  EXPECT_EQ(store.find_room("lobby")->epoch, "00000000000000aa");
  EXPECT_EQ(store.at("lobby", 1)->text, "old");
  // The unique client_id index came through the rebuild.
  EXPECT_TRUE(store.append(user_message("lobby", "ann", "again", "c1")).duplicate);
  // And the reply left streaming by the old version can be ended the new way.
  EXPECT_EQ(store.interrupt_streaming(), 1u);
  const auto events = store.after("lobby", 0, 10);
  ASSERT_EQ(events.size(), 3u);
  EXPECT_EQ(events[2].kind, MessageKind::end);
  EXPECT_EQ(events[2].text, "cut");
}


// Indexing is off the commit: a stored message is queued, index_search adds the queue
// to the full-text index, and search() indexes what is still queued before it reads.
TEST(SqliteHistoryStoreSearchQueue, StoredMessagesAreSearchableAfterIndexingOrASearch) {
  TempDb db;
  SqliteHistoryStore store(db.path());
  store.append(user_message("lab", "ann", "the deploy is on friday"));
  store.append(user_message("lab", "bob", "lunch at noon"));
  EXPECT_EQ(store.index_search(1), 1u) << "at most the limit";
  EXPECT_EQ(store.index_search(100), 1u);
  EXPECT_EQ(store.index_search(100), 0u) << "the queue is empty";
  store.append(user_message("lab", "cid", "friday again"));
  EXPECT_EQ(store.search("lab", {"friday"}, 100, 5).size(), 2u) << "search indexes first";
  EXPECT_EQ(store.index_search(100), 0u);
}

// Large commits through the WAL-gathering VFS: runs far above the platform's 128 KiB
// write size, a WAL that restarts after checkpoints, and a reopen that reads it all back.
TEST(SqliteHistoryStoreWal, LargeBatchesCommitAndReadBackAfterReopen) {
  TempDb db;
  const std::string big(6000, 'x');
  {
    SqliteHistoryStore store(db.path());
    for (int batch = 0; batch < 20; ++batch) {
      store.batch([&] {
        for (int i = 0; i < 200; ++i) {
          std::string room = "r";
          room += std::to_string(i % 50);
          store.append(user_message(room, "ann", big));
        }
      });
    }
  }
  SqliteHistoryStore again(db.path());
  for (int k = 0; k < 50; ++k) {
    std::string room = "r";
    room += std::to_string(k);
    const auto info = again.find_room(room);
    ASSERT_TRUE(info.has_value());
    EXPECT_EQ(info->head_seq, 80u);
    EXPECT_EQ(again.after(room, 0, 500).size(), 80u);
  }
  SQLite::Database check(db.path(), SQLite::OPEN_READONLY);
  EXPECT_EQ(check.execAndGet("PRAGMA integrity_check").getString(), "ok");
}

}  // namespace
}  // namespace parley::history
