#include "migrations.hpp"

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Exception.h>
#include <gtest/gtest.h>

#include <array>
#include <string>

#include "parley/history/sqlite_history_store.hpp"
#include "temp_db.hpp"

namespace parley::history {
namespace {

using testing::TempDb;

const int kOpenFlags = SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE;

TEST(MigrationsTest, StepsAreNumberedFromOneWithoutGaps) {
  int expected = 1;
  for (const auto& step : migrations::steps()) EXPECT_EQ(step.version, expected++);
  EXPECT_EQ(migrations::latest_version(), expected - 1);
  EXPECT_GE(migrations::latest_version(), 1);
}

TEST(MigrationsTest, FreshDatabaseGetsEveryStep) {
  SQLite::Database db(":memory:", kOpenFlags);
  EXPECT_EQ(migrations::current_version(db), 0);
  EXPECT_EQ(migrations::migrate(db), migrations::latest_version());
  EXPECT_EQ(migrations::current_version(db), migrations::latest_version());
  EXPECT_TRUE(db.tableExists("rooms"));
  EXPECT_TRUE(db.tableExists("messages"));
}

TEST(MigrationsTest, MigratedDatabaseRunsNothingAgain) {
  SQLite::Database db(":memory:", kOpenFlags);
  migrations::migrate(db);
  EXPECT_EQ(migrations::migrate(db), 0);
  EXPECT_EQ(migrations::current_version(db), migrations::latest_version());
}

TEST(MigrationsTest, OnlyNewerStepsRun) {
  const std::array steps{
      migrations::Step{1, "CREATE TABLE a (x INTEGER)"},
      migrations::Step{2, "CREATE TABLE b (x INTEGER)"},
  };
  SQLite::Database db(":memory:", kOpenFlags);
  EXPECT_EQ(migrations::migrate(db, std::span(steps).first(1)), 1);
  EXPECT_EQ(migrations::migrate(db, steps), 1);
  EXPECT_TRUE(db.tableExists("b"));
  EXPECT_EQ(migrations::current_version(db), 2);
}

TEST(MigrationsTest, FailingStepLeavesThePreviousVersion) {
  const std::array steps{
      migrations::Step{1, "CREATE TABLE a (x INTEGER)"},
      migrations::Step{2, "CREATE TABLE b (x INTEGER); THIS IS NOT SQL"},
  };
  SQLite::Database db(":memory:", kOpenFlags);
  EXPECT_THROW(migrations::migrate(db, steps), SQLite::Exception);
  EXPECT_EQ(migrations::current_version(db), 1);
  EXPECT_TRUE(db.tableExists("a"));
  EXPECT_FALSE(db.tableExists("b"));  // step 2 rolled back as a whole
}

TEST(MigrationsTest, StoreLeavesTheFileAtTheLatestVersion) {
  TempDb file;
  {
    SqliteHistoryStore store(file.path());
    EXPECT_EQ(store.schema_version(), migrations::latest_version());
  }
  SQLite::Database db(file.path(), kOpenFlags);
  EXPECT_EQ(migrations::current_version(db), migrations::latest_version());
  EXPECT_EQ(migrations::migrate(db), 0);
}

TEST(MigrationsTest, ReopeningAMigratedFileDoesNotMigrateAgain) {
  TempDb file;
  {
    NewMessage m;
    m.room = "lobby";
    m.author = "ann";
    m.text = "hi";
    SqliteHistoryStore(file.path()).append(m);
  }
  // Version 1 creates its tables without IF NOT EXISTS: running it twice would throw.
  SqliteHistoryStore reopened(file.path());
  EXPECT_EQ(reopened.schema_version(), migrations::latest_version());
  EXPECT_EQ(reopened.recent("lobby", 10).size(), 1u);
}

TEST(MigrationsTest, FileFromANewerSchemaIsRefusedUntouched) {
  TempDb file;
  const int future = migrations::latest_version() + 1;
  {
    SQLite::Database db(file.path(), kOpenFlags);
    db.exec("PRAGMA user_version = " + std::to_string(future));
  }
  try {
    SqliteHistoryStore store(file.path());
    FAIL() << "a newer schema was accepted";
  } catch (const SQLite::Exception& e) {
    const std::string what = e.what();
    EXPECT_NE(what.find("newer"), std::string::npos) << what;
    EXPECT_NE(what.find(std::to_string(future)), std::string::npos) << what;
  }
  SQLite::Database db(file.path(), kOpenFlags);
  EXPECT_EQ(migrations::current_version(db), future);
  EXPECT_FALSE(db.tableExists("rooms"));
  EXPECT_EQ(db.execAndGet("PRAGMA journal_mode").getString(), "delete");  // not switched to WAL
  EXPECT_THROW(migrations::migrate(db), SQLite::Exception);
}


// A database of schema 9 holding the same client_id under two letter cases of one
// author (stored twice before names compared without case) migrates: both texts stay,
// only the first keeps the id, and from then on a retry under any case is found.
TEST(MigrationsTest, RetriesUnderAnotherLetterCaseCollapseFromSchemaTen) {
  TempDb file;
  {
    SQLite::Database db(file.path(), kOpenFlags);
    migrations::migrate(db, migrations::steps().first(9));
    db.exec("INSERT INTO rooms (name, epoch, head_seq, created_ms) VALUES ('lobby', 'e', 3, 1)");
    db.exec("INSERT INTO messages (room_id, seq, author, kind, text, client_id, status, ts_ms) VALUES "
            "(1, 1, 'Ann', 'user', 'first', 'x', 'complete', 1), "
            "(1, 2, 'ann', 'user', 'again', 'x', 'complete', 2), "
            "(1, 3, 'bob', 'user', 'other', 'x', 'complete', 3)");
  }
  SqliteHistoryStore store(file.path());
  EXPECT_EQ(store.schema_version(), migrations::latest_version());
  const auto all = store.recent("lobby", 10);
  ASSERT_EQ(all.size(), 3u);
  EXPECT_EQ(all[0].client_id, "x");
  EXPECT_EQ(all[1].client_id, "");
  EXPECT_EQ(all[2].client_id, "x");
  NewMessage retry;
  retry.room = "lobby";
  retry.author = "ANN";
  retry.text = "first";
  retry.client_id = "x";
  const auto result = store.append(retry);
  EXPECT_TRUE(result.duplicate);
  EXPECT_EQ(result.message.seq, 1u);
}

}  // namespace
}  // namespace parley::history
