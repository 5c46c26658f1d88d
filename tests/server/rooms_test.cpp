// Rooms with owners and members over real connections: what outsiders, members, admins
// and owners may do, each refusal with its exact code, and the assistant setting.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "chat_steps.hpp"
#include "frame_log.hpp"
#include "parley/validation.hpp"
#include "server_process.hpp"

namespace parley::itest {
namespace {

using protocol::AssistantMode;
using protocol::MemberRole;
using protocol::MessageKind;
using protocol::RoomType;

protocol::Error expect_error(WsClient& c, const protocol::Message& m, const std::string& code) {
  c.send(m);
  protocol::Error e = c.read_until<protocol::Error>();
  EXPECT_EQ(e.code, code) << protocol::encode(m) << " -> " << e.message;
  return e;
}

protocol::RoomDetails create(WsClient& c, const std::string& room, RoomType type,
                             AssistantMode mode = AssistantMode::always) {
  c.send(protocol::CreateRoom{room, type, mode});
  return c.read_until<protocol::RoomDetails>();
}

protocol::Join plain_join(const std::string& room) {
  return protocol::Join{room, 50, "", std::nullopt};
}

std::vector<std::string> room_names(WsClient& c) {
  c.send(protocol::ListRooms{});
  std::vector<std::string> names;
  for (const auto& r : c.read_until<protocol::RoomList>().rooms) names.push_back(r.room);
  return names;
}

TEST(Rooms, AGroupRoomIsInvisibleToOutsidersUntilTheyAreInvited) {
  ServerProcess server;
  auto ann = connect_as(server.port(), "ann");
  auto bob = connect_as(server.port(), "bob");
  const auto made = create(*ann, "team", RoomType::group);
  EXPECT_EQ(made.summary.room, "team");
  EXPECT_EQ(made.summary.type, RoomType::group);
  EXPECT_EQ(made.summary.owner, "ann");
  EXPECT_EQ(made.summary.role, MemberRole::owner);
  EXPECT_EQ(made.members, (std::vector<protocol::Member>{{"ann", MemberRole::owner}}));
  join(*ann, "team");
  ann->send(protocol::Send{"team", "t-1", "the plan is secret"});
  ann->read_until<protocol::Ack>();

  // Bob learns nothing: not by joining, not by resuming, not by asking, not by sending.
  expect_error(*bob, plain_join("team"), "not_found");
  expect_error(*bob, protocol::Join{"team", 0, made.summary.epoch, 0}, "not_found");
  expect_error(*bob, protocol::GetRoom{"team"}, "not_found");
  // After his refused join, a send gets what it would for a missing room.
  expect_error(*bob, protocol::Send{"team", "b-1", "let me in"}, "not_found");
  expect_error(*bob, protocol::Send{"no-such-room", "b-1", "anyone?"}, "not_joined");
  expect_error(*bob, protocol::Invite{"team", "bob", MemberRole::member}, "not_found");
  expect_error(*bob, protocol::DeleteRoom{"team"}, "not_found");
  EXPECT_EQ(room_names(*bob), (std::vector<std::string>{}));
  const auto error = expect_error(*bob, protocol::CreateRoom{"team", RoomType::shared,
                                                              AssistantMode::always},
                                  "conflict");
  EXPECT_EQ(error.ref, "team");

  // Invited, he hears of it and may read everything.
  ann->send(protocol::Invite{"team", "bob", MemberRole::member});
  const auto after = ann->read_until<protocol::RoomDetails>();
  EXPECT_EQ(after.members.size(), 2u);
  const auto told = bob->read_until<protocol::MemberChanged>();
  EXPECT_EQ(told, (protocol::MemberChanged{"team", "bob", MemberRole::member, false}));
  EXPECT_EQ(room_names(*bob), (std::vector<std::string>{"team"}));
  const auto joined = join(*bob, "team");
  const auto texts = shown(joined.history);
  ASSERT_FALSE(texts.empty());
  EXPECT_EQ(texts[0].text, "the plan is secret");
}

TEST(Rooms, APrivateRoomIsItsOwnersAlone) {
  ServerProcess server;
  auto ann = connect_as(server.port(), "ann");
  auto bob = connect_as(server.port(), "bob");
  create(*ann, "notes", RoomType::private_, AssistantMode::off);
  expect_error(*ann, protocol::Invite{"notes", "bob", MemberRole::member}, "forbidden");
  expect_error(*bob, plain_join("notes"), "not_found");
  join(*ann, "notes");
}

TEST(Rooms, ARemovedMemberStopsReceivingAndCannotSend) {
  ServerProcess server;
  auto ann = connect_as(server.port(), "ann");
  auto bob = connect_as(server.port(), "bob");
  create(*ann, "team", RoomType::group, AssistantMode::off);
  ann->send(protocol::Invite{"team", "bob", MemberRole::member});
  ann->read_until<protocol::RoomDetails>();
  join(*ann, "team");
  join(*bob, "team");

  ann->send(protocol::RemoveMember{"team", "bob"});
  ann->read_until<protocol::RoomDetails>();
  EXPECT_EQ(bob->read_until<protocol::MemberChanged>(),
            (protocol::MemberChanged{"team", "bob", MemberRole::member, true}));
  ann->send(protocol::Send{"team", "a-1", "after bob left"});
  ann->read_until<protocol::Ack>();  // the broadcast is queued before the ack goes out
  // Bob's next frame answers his ping: the message never reached him.
  bob->send(protocol::Ping{5});
  const protocol::Message next = bob->read();
  EXPECT_TRUE(std::holds_alternative<protocol::Pong>(next)) << protocol::encode(next);
  // He is an outsider now: the group room answers him as a missing room would.
  expect_error(*bob, protocol::Send{"team", "b-2", "still here?"}, "not_found");
  expect_error(*bob, plain_join("team"), "not_found");
}

TEST(Rooms, RolesDecideWhoMayInviteRemoveAndDelete) {
  ServerProcess server;
  auto ann = connect_as(server.port(), "ann");  // owner
  auto zoe = connect_as(server.port(), "zoe");  // admin
  auto bob = connect_as(server.port(), "bob");  // member
  create(*ann, "team", RoomType::group);
  ann->send(protocol::Invite{"team", "zoe", MemberRole::admin});
  ann->read_until<protocol::RoomDetails>();
  zoe->send(protocol::Invite{"team", "bob", MemberRole::member});
  const auto details = zoe->read_until<protocol::RoomDetails>();
  EXPECT_EQ(details.members,
            (std::vector<protocol::Member>{{"ann", MemberRole::owner},
                                           {"zoe", MemberRole::admin},
                                           {"bob", MemberRole::member}}));

  expect_error(*zoe, protocol::Invite{"team", "eve", MemberRole::admin}, "forbidden");
  expect_error(*zoe, protocol::RemoveMember{"team", "ann"}, "forbidden");
  expect_error(*bob, protocol::Invite{"team", "eve", MemberRole::member}, "forbidden");
  expect_error(*bob, protocol::RemoveMember{"team", "zoe"}, "forbidden");
  expect_error(*bob, protocol::SetAssistant{"team", AssistantMode::off}, "forbidden");
  expect_error(*bob, protocol::DeleteRoom{"team"}, "forbidden");
  expect_error(*zoe, protocol::DeleteRoom{"team"}, "forbidden");
  expect_error(*ann, protocol::Invite{"team", "bob", MemberRole::owner}, "forbidden");
  join(*ann, "team");
  expect_error(*ann, protocol::Leave{"team"}, "forbidden");
  // A refused leave leaves the owner where she was: still in the room on this connection.
  ann->send(protocol::Send{"team", "a-9", "still mine"});
  EXPECT_EQ(ann->read_until<protocol::Ack>().client_id, "a-9");
  expect_error(*ann, protocol::RemoveMember{"team", "nobody"}, "not_found");
  expect_error(*ann, protocol::Invite{"team", "", MemberRole::member}, "invalid_name");
  expect_error(*ann, protocol::CreateRoom{"Bad Room", RoomType::group, AssistantMode::always},
               "invalid_room");

  // A member may leave.
  bob->send(protocol::Leave{"team"});
  EXPECT_EQ(bob->read_until<protocol::Left>().room, "team");
  EXPECT_EQ(room_names(*bob), (std::vector<std::string>{}));
}

TEST(Rooms, DeletingARoomTellsItsMembersAndANewRoomOfThatNameStartsOver) {
  ServerProcess server;
  auto ann = connect_as(server.port(), "ann");
  auto bob = connect_as(server.port(), "bob");
  const auto first = create(*ann, "team", RoomType::group, AssistantMode::off);
  ann->send(protocol::Invite{"team", "bob", MemberRole::member});
  ann->read_until<protocol::RoomDetails>();
  join(*bob, "team");
  join(*ann, "team");
  ann->send(protocol::Send{"team", "a-1", "soon gone"});
  ann->read_until<protocol::Ack>();

  ann->send(protocol::DeleteRoom{"team"});
  EXPECT_EQ(ann->read_until<protocol::RoomDeleted>().room, "team");
  EXPECT_EQ(bob->read_until<protocol::RoomDeleted>().room, "team");
  EXPECT_EQ(room_names(*bob), (std::vector<std::string>{}));

  // Joining the name again makes a new, empty shared room: a resume from the old one
  // is answered with reset, never with the old history.
  const auto again = resume(*bob, "team", first.summary.epoch, 1, 50);
  EXPECT_EQ(again.resume, protocol::Resume::reset);
  EXPECT_NE(again.epoch, first.summary.epoch);
  EXPECT_TRUE(again.history.empty());
}

TEST(Rooms, TheAssistantAnswersAsTheRoomSays) {
  ServerProcess server;
  auto ann = connect_as(server.port(), "ann");
  create(*ann, "quiet", RoomType::shared, AssistantMode::mention);
  join(*ann, "quiet");
  ann->send(protocol::Send{"quiet", "q-1", "just us humans"});
  ann->read_until<protocol::Ack>();
  ann->send(protocol::Send{"quiet", "q-2", "hey @parley, a word?"});
  FrameLog log;
  log.read_until(*ann, [](const FrameLog& l) { return l.completed_replies() == 1; });
  const auto events = shown(full_history(server.port(), "quiet").history);
  ASSERT_EQ(events.size(), 3u) << "two messages, one reply";
  EXPECT_EQ(events[2].kind, MessageKind::assistant);
  EXPECT_EQ(log.replies.begin()->second.started->reply_to, events[1].seq);

  ann->send(protocol::SetAssistant{"quiet", AssistantMode::off});
  EXPECT_EQ(ann->read_until<protocol::RoomDetails>().summary.assistant, AssistantMode::off);
  ann->send(protocol::Send{"quiet", "q-3", "@Parley are you there?"});
  ann->read_until<protocol::Ack>();
  ann->send(protocol::SetAssistant{"quiet", AssistantMode::always});
  ann->read_until<protocol::RoomDetails>();
  EXPECT_EQ(shown(full_history(server.port(), "quiet").history).size(), 4u)
      << "no reply while the assistant was off";
}

TEST(Rooms, ListRoomsGivesEachRoomWithTheUsersRole) {
  ServerProcess server;
  auto ann = connect_as(server.port(), "ann");
  join(*ann, "lobby");
  create(*ann, "b-team", RoomType::group);
  create(*ann, "a-notes", RoomType::private_);
  ann->send(protocol::ListRooms{});
  const auto list = ann->read_until<protocol::RoomList>();
  ASSERT_EQ(list.rooms.size(), 3u);
  EXPECT_EQ(list.rooms[0].room, "a-notes");
  EXPECT_EQ(list.rooms[0].type, RoomType::private_);
  EXPECT_EQ(list.rooms[0].role, MemberRole::owner);
  EXPECT_EQ(list.rooms[2].room, "lobby");
  EXPECT_EQ(list.rooms[2].owner, "") << "the lobby belongs to nobody";
  EXPECT_EQ(list.rooms[2].role, MemberRole::member);
}

TEST(Rooms, OlderHistoryIsFetchedInPagesWithTheSameAccessAsJoining) {
  ServerProcess server;
  auto ann = connect_as(server.port(), "ann");
  ann->send(protocol::CreateRoom{"team", protocol::RoomType::group, protocol::AssistantMode::off});
  ann->read_until<protocol::RoomDetails>();
  join(*ann, "team");
  for (int i = 1; i <= 25; ++i) {
    std::string id = "t-";
    id += std::to_string(i);
    ann->send(protocol::Send{"team", id, "note " + id});
    ann->read_until<protocol::Ack>();
  }
  ann->send(protocol::FetchHistory{"team", 0, 10});
  auto page = ann->read_until<protocol::HistoryPage>();
  ASSERT_EQ(page.messages.size(), 10u);
  EXPECT_EQ(page.messages.front().seq, 16u);
  EXPECT_EQ(page.messages.back().seq, 25u);
  EXPECT_EQ(page.before_seq, 26u) << "0 means from the newest";
  EXPECT_TRUE(page.more);
  ann->send(protocol::FetchHistory{"team", 6, 10});
  page = ann->read_until<protocol::HistoryPage>();
  ASSERT_EQ(page.messages.size(), 5u);
  EXPECT_EQ(page.messages.front().seq, 1u);
  EXPECT_FALSE(page.more);
  ann->send(protocol::FetchHistory{"team", 1, 10});
  page = ann->read_until<protocol::HistoryPage>();
  EXPECT_TRUE(page.messages.empty());
  EXPECT_FALSE(page.more);

  for (std::uint32_t bad : {0u, validation::kMaxHistoryLimit + 1}) {
    ann->send(protocol::FetchHistory{"team", 0, bad});
    EXPECT_EQ(ann->read_until<protocol::Error>().code, "bad_field");
  }
  // Outsiders of a group room learn nothing: the answer a missing room gets.
  auto eve = connect_as(server.port(), "eve");
  eve->send(protocol::FetchHistory{"team", 0, 10});
  const auto refused = eve->read_until<protocol::Error>();
  EXPECT_EQ(refused.code, "not_found");
  eve->send(protocol::FetchHistory{"nowhere", 0, 10});
  EXPECT_EQ(eve->read_until<protocol::Error>().message, "no room 'nowhere' that you may see");
  EXPECT_EQ(refused.message, "no room 'team' that you may see");
}

}  // namespace
}  // namespace parley::itest
