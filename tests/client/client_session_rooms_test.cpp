// Switching, creating and leaving rooms in the session, and what happens when the room
// on screen is deleted or the user is removed from it.
#include <gtest/gtest.h>

#include "parley/client_session.hpp"
#include "parley/error_codes.hpp"
#include "session_harness.hpp"

namespace parley::client {
namespace {

using testing::chat;
using testing::Harness;
namespace p = parley::protocol;

p::RoomSummary summary(std::string room, p::RoomType type, std::uint64_t unread = 0) {
  return p::RoomSummary{std::move(room), type, "ann", p::AssistantMode::always,
                        p::MemberRole::owner, "e9", 0, 0, unread};
}

p::Joined joined_room(std::string room, std::string epoch, std::uint64_t head,
                      std::vector<p::ChatMessage> history) {
  for (auto& m : history) m.room = room;
  return p::Joined{std::move(room), std::move(epoch), head, std::move(history), p::Resume::none,
                   false};
}

TEST(ClientSessionRooms, AfterJoiningItAsksForTheRoomListAndTheMembers) {
  Harness h;
  h.sign_in_and_join();
  EXPECT_EQ(h.written_of<p::ListRooms>().size(), 1u);
  ASSERT_EQ(h.written_of<p::GetRoom>().size(), 1u);
  EXPECT_EQ(h.written_of<p::GetRoom>()[0].room, "lobby");
  h.feed(p::RoomList{{summary("lobby", p::RoomType::shared), summary("team", p::RoomType::group, 4)}});
  ASSERT_EQ(h.session.rooms().size(), 2u);
  EXPECT_EQ(h.session.rooms()[1].unread, 4u);
  h.feed(p::RoomDetails{summary("lobby", p::RoomType::shared), {{"ann", p::MemberRole::member}}});
  EXPECT_EQ(h.session.members().size(), 1u);
}

TEST(ClientSessionRooms, SwitchingShowsTheOtherRoomAndComesBackToWhereItWas) {
  Harness h;
  h.sign_in_and_join("ann", {chat(1, "bob", "lobby talk")});
  h.written.clear();
  ASSERT_TRUE(static_cast<bool>(h.session.switch_room("team")));
  h.pump();
  EXPECT_EQ(h.session.room(), "team");
  EXPECT_TRUE(h.session.transcript().entries().empty());
  EXPECT_EQ(h.written_of<p::Join>().back(), (p::Join{"team", 50, "", std::nullopt}));
  // The room going off screen is unsubscribed (not left) before the other is joined.
  ASSERT_EQ(h.written_of<p::Unsubscribe>().size(), 1u);
  EXPECT_EQ(h.written_of<p::Unsubscribe>()[0].room, "lobby");
  EXPECT_TRUE(h.written_of<p::Leave>().empty());
  h.feed(joined_room("team", "t1", 2, {chat(1, "bob", "x"), chat(2, "bob", "team talk")}));
  EXPECT_EQ(h.session.connection(), ConnectionState::connected);
  EXPECT_EQ(h.session.transcript().entries().back().text, "team talk");
  // Frames of the lobby (still arriving) do not leak into the room on screen.
  h.feed(p::Posted{chat(2, "bob", "lobby again")});
  EXPECT_EQ(h.session.transcript().size(), 2u);

  // Back to the lobby: it resumes from the lobby's position, with context to show.
  h.session.switch_room("lobby");
  h.pump();
  ASSERT_FALSE(h.written_of<p::Join>().empty());
  EXPECT_EQ(h.written_of<p::Join>().back(), (p::Join{"lobby", 50, "e1", 1}));
  // The saved session remembers both rooms and which one is on screen.
  const SavedSession saved = h.session.saved();
  EXPECT_EQ(saved.room, "lobby");
  ASSERT_EQ(saved.positions.size(), 2u);
  EXPECT_EQ(saved.positions[1], (SavedPosition{"team", "t1", 2}));
}

TEST(ClientSessionRooms, SwitchingWaitsForMessagesStillBeingSent) {
  Harness h;
  h.sign_in_and_join();
  h.session.send("on its way", h.now);
  const auto v = h.session.switch_room("team");
  EXPECT_FALSE(static_cast<bool>(v));
  EXPECT_EQ(h.session.room(), "lobby");
  EXPECT_FALSE(static_cast<bool>(h.session.switch_room("Not A Room")));
}

TEST(ClientSessionRooms, ACreatedRoomIsShownOnceTheServerMadeIt) {
  Harness h;
  h.sign_in_and_join();
  ASSERT_TRUE(static_cast<bool>(h.session.create_room("plans", p::RoomType::private_)));
  h.pump();
  ASSERT_EQ(h.written_of<p::CreateRoom>().size(), 1u);
  EXPECT_EQ(h.written_of<p::CreateRoom>()[0],
            (p::CreateRoom{"plans", p::RoomType::private_, p::AssistantMode::always}));
  EXPECT_EQ(h.session.room(), "lobby");
  h.feed(p::RoomDetails{summary("plans", p::RoomType::private_), {{"ann", p::MemberRole::owner}}});
  EXPECT_EQ(h.session.room(), "plans");
  ASSERT_FALSE(h.written_of<p::Join>().empty());
  EXPECT_EQ(h.written_of<p::Join>().back().room, "plans");
}

TEST(ClientSessionRooms, LeavingGoesBackToTheLobby) {
  Harness h;
  h.sign_in_and_join();
  h.session.switch_room("team");
  h.feed(joined_room("team", "t1", 0, {}));
  h.session.leave_room();
  h.pump();
  ASSERT_EQ(h.written_of<p::Leave>().size(), 1u);
  EXPECT_EQ(h.written_of<p::Leave>().back().room, "team");
  EXPECT_EQ(h.session.room(), "lobby");
  h.session.leave_room();  // the lobby cannot be left
  h.pump();
  EXPECT_EQ(h.written_of<p::Leave>().size(), 1u);
}

TEST(ClientSessionRooms, ADeletedOrForbiddenRoomSendsTheUserBackWithAReason) {
  Harness h;
  h.sign_in_and_join();
  h.session.switch_room("team");
  h.feed(joined_room("team", "t1", 0, {}));
  h.feed(p::RoomDeleted{"team"});
  EXPECT_EQ(h.session.room(), "lobby");
  ASSERT_TRUE(h.session.last_error().has_value());
  EXPECT_EQ(h.session.last_error()->code, error_codes::not_found);

  h.session.switch_room("secret");
  h.feed(p::Error{error_codes::not_found, "no room 'secret' that you may see", "secret", 0});
  EXPECT_EQ(h.session.room(), "lobby");

  h.session.switch_room("team2");
  h.feed(joined_room("team2", "t2", 0, {}));
  h.feed(p::MemberChanged{"team2", "ANN", p::MemberRole::member, true});
  EXPECT_EQ(h.session.room(), "lobby") << "removed from the room on screen";
  EXPECT_EQ(h.session.last_error()->code, error_codes::forbidden);
}

TEST(ClientSessionRooms, TheOwnerDeletesTheRoomAndLandsInTheLobby) {
  Harness h;
  h.sign_in_and_join();
  h.session.switch_room("plans");
  h.feed(joined_room("plans", "p1", 0, {}));
  h.feed(p::RoomList{{summary("lobby", p::RoomType::shared), summary("plans", p::RoomType::group)}});
  EXPECT_EQ(h.session.role(), p::MemberRole::owner);
  h.session.delete_room();
  h.pump();
  ASSERT_EQ(h.written_of<p::DeleteRoom>().size(), 1u);
  EXPECT_EQ(h.written_of<p::DeleteRoom>()[0].room, "plans");
  EXPECT_EQ(h.session.room(), "plans") << "nothing changes before the server confirms";
  h.feed(p::RoomDeleted{"plans"});
  EXPECT_EQ(h.session.room(), "lobby");
  EXPECT_FALSE(h.session.last_error().has_value()) << "no alarm for what the user asked for";
  ASSERT_EQ(h.session.rooms().size(), 1u);
  EXPECT_EQ(h.session.rooms()[0].room, "lobby");
}

TEST(ClientSessionRooms, MembersFollowMemberChanges) {
  Harness h;
  h.sign_in_and_join();
  h.feed(p::RoomDetails{summary("lobby", p::RoomType::shared), {{"ann", p::MemberRole::member}}});
  h.feed(p::MemberChanged{"lobby", "bob", p::MemberRole::admin, false});
  ASSERT_EQ(h.session.members().size(), 2u);
  EXPECT_EQ(h.session.members()[1], (p::Member{"bob", p::MemberRole::admin}));
  h.feed(p::MemberChanged{"lobby", "BOB", p::MemberRole::member, true});
  EXPECT_EQ(h.session.members().size(), 1u);
}

}  // namespace
}  // namespace parley::client
