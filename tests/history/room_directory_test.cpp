// Rooms and their members in the history store: types, owners, roles, the assistant
// setting, deletion, and the rooms a user belongs to.
#include <SQLiteCpp/Database.h>
#include <gtest/gtest.h>

#include "parley/history/sqlite_history_store.hpp"
#include "temp_db.hpp"

namespace parley::history {
namespace {

class RoomDirectoryTest : public ::testing::Test {
 protected:
  SqliteHistoryStore store{":memory:"};
};

TEST_F(RoomDirectoryTest, CreateRoomRecordsItsTypeOwnerAndAssistant) {
  const auto made = store.create_room("team", RoomType::group, "ann", AssistantMode::mention);
  ASSERT_TRUE(made.has_value());
  EXPECT_EQ(made->type, RoomType::group);
  EXPECT_EQ(made->owner, "ann");
  EXPECT_EQ(made->assistant, AssistantMode::mention);
  EXPECT_EQ(made->head_seq, 0u);
  EXPECT_EQ(made->epoch.size(), 16u);
  EXPECT_EQ(store.member_role("team", "ann"), MemberRole::owner);
  EXPECT_EQ(store.member_role("team", "ANN"), MemberRole::owner) << "names compare without case";
  EXPECT_FALSE(store.create_room("team", RoomType::shared, "bob", AssistantMode::always))
      << "a taken name is refused";
  EXPECT_EQ(store.find_room("team")->owner, "ann");
}

TEST_F(RoomDirectoryTest, EnsuredRoomsAreSharedWithoutOwner) {
  const RoomInfo lobby = store.ensure_room("lobby");
  EXPECT_EQ(lobby.type, RoomType::shared);
  EXPECT_EQ(lobby.owner, "");
  EXPECT_EQ(lobby.assistant, AssistantMode::always);
  EXPECT_TRUE(store.members("lobby").empty());
}

TEST_F(RoomDirectoryTest, MembersAreAddedPromotedListedAndRemoved) {
  store.create_room("team", RoomType::group, "ann", AssistantMode::always);
  EXPECT_TRUE(store.set_member("team", "zed", MemberRole::member));
  EXPECT_TRUE(store.set_member("team", "bob", MemberRole::member));
  EXPECT_TRUE(store.set_member("team", "zed", MemberRole::admin));  // a new role, not a second row
  EXPECT_EQ(store.members("team"),
            (std::vector<Member>{{"ann", MemberRole::owner},
                                 {"zed", MemberRole::admin},
                                 {"bob", MemberRole::member}}));
  EXPECT_TRUE(store.remove_member("team", "BOB"));
  EXPECT_FALSE(store.remove_member("team", "bob"));
  EXPECT_FALSE(store.member_role("team", "bob").has_value());
  EXPECT_FALSE(store.set_member("nowhere", "bob", MemberRole::member));
}

TEST_F(RoomDirectoryTest, RoomsOfAUserAreTheRoomsTheyBelongTo) {
  store.create_room("b-room", RoomType::group, "ann", AssistantMode::always);
  store.create_room("a-room", RoomType::private_, "ann", AssistantMode::off);
  store.create_room("other", RoomType::shared, "bob", AssistantMode::always);
  store.ensure_room("lobby");
  store.set_member("lobby", "ann", MemberRole::member);
  const auto rooms = store.rooms_of("Ann");
  ASSERT_EQ(rooms.size(), 3u);
  EXPECT_EQ(rooms[0].room.name, "a-room");
  EXPECT_EQ(rooms[0].room.type, RoomType::private_);
  EXPECT_EQ(rooms[0].room.assistant, AssistantMode::off);
  EXPECT_EQ(rooms[0].role, MemberRole::owner);
  EXPECT_EQ(rooms[1].room.name, "b-room");
  EXPECT_EQ(rooms[2].room.name, "lobby");
  EXPECT_EQ(rooms[2].role, MemberRole::member);
  EXPECT_TRUE(store.rooms_of("nobody").empty());
}

TEST_F(RoomDirectoryTest, SetAssistantChangesTheMode) {
  store.create_room("team", RoomType::group, "ann", AssistantMode::always);
  EXPECT_TRUE(store.set_assistant("team", AssistantMode::off));
  EXPECT_EQ(store.find_room("team")->assistant, AssistantMode::off);
  EXPECT_FALSE(store.set_assistant("nowhere", AssistantMode::off));
}

TEST_F(RoomDirectoryTest, DeleteRemovesHistoryAndMembersAndANewRoomGetsANewEpoch) {
  const auto first = store.create_room("team", RoomType::group, "ann", AssistantMode::always);
  NewMessage m;
  m.room = "team";
  m.author = "ann";
  m.text = "secret";
  m.client_id = "c1";
  store.append(m);
  EXPECT_TRUE(store.delete_room("team"));
  EXPECT_FALSE(store.find_room("team").has_value());
  EXPECT_TRUE(store.rooms_of("ann").empty());
  EXPECT_FALSE(store.delete_room("team"));

  const auto again = store.create_room("team", RoomType::shared, "bob", AssistantMode::always);
  ASSERT_TRUE(again.has_value());
  EXPECT_NE(again->epoch, first->epoch) << "old positions must not resume into the new room";
  EXPECT_EQ(again->head_seq, 0u);
  EXPECT_TRUE(store.after("team", 0, 10).empty());
  EXPECT_FALSE(store.append(m).duplicate) << "the old client_ids went with the old room";
}

TEST_F(RoomDirectoryTest, MarksMoveForwardOnlyAndUnreadCountsOthersMessages) {
  store.create_room("team", RoomType::group, "ann", AssistantMode::always);
  store.set_member("team", "bob", MemberRole::member);
  NewMessage m;
  m.room = "team";
  for (const char* author : {"ann", "bob", "ann", "ann"}) {
    m.author = author;
    m.text = "x";
    store.append(m);
  }
  EXPECT_EQ(store.mark("team", "bob", 4, 1)->read, 1u);
  auto bobs = store.rooms_of("bob");
  ASSERT_EQ(bobs.size(), 1u);
  EXPECT_EQ(bobs[0].read_seq, 1u);
  EXPECT_EQ(bobs[0].unread, 2u) << "ann's 3 and 4; bob's own 2 never counts";
  const auto back = store.mark("team", "bob", 0, 0);
  EXPECT_EQ(back->delivered, 4u);
  EXPECT_EQ(back->read, 1u);
  EXPECT_EQ(store.mark("team", "bob", 50, 50)->read, 4u) << "capped at the head";
  EXPECT_FALSE(store.mark("team", "eve", 1, 1).has_value()) << "not a member";
  EXPECT_FALSE(store.mark("nowhere", "bob", 1, 1).has_value());
}

TEST_F(RoomDirectoryTest, AccountsAreUniqueWithoutCaseAndKeepTheirRole) {
  EXPECT_TRUE(store.create_account({"Ann", "scrypt$x", "admin"}));
  EXPECT_FALSE(store.create_account({"ann", "scrypt$y", "user"})) << "the name is taken";
  const auto found = store.find_account("ANN");
  ASSERT_TRUE(found.has_value());
  EXPECT_EQ(found->name, "Ann");
  EXPECT_EQ(found->password_hash, "scrypt$x");
  EXPECT_EQ(found->role, "admin");
  EXPECT_FALSE(store.find_account("bob").has_value());
  EXPECT_THROW(store.create_account({"eve", "h", "root"}), SQLite::Exception) << "unknown role";
}

TEST(RoomDirectoryFileTest, RoomsAndMembersSurviveReopening) {
  testing::TempDb db;
  {
    SqliteHistoryStore store(db.path());
    store.create_room("team", RoomType::group, "ann", AssistantMode::mention);
    store.set_member("team", "bob", MemberRole::admin);
  }
  SqliteHistoryStore store(db.path());
  EXPECT_EQ(store.find_room("team")->type, RoomType::group);
  EXPECT_EQ(store.find_room("team")->assistant, AssistantMode::mention);
  EXPECT_EQ(store.member_role("team", "bob"), MemberRole::admin);
}

}  // namespace
}  // namespace parley::history
