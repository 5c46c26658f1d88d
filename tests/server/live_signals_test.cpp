// Presence, typing and receipts between real connections.
#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "chat_steps.hpp"
#include "frame_log.hpp"
#include "server_process.hpp"

namespace parley::itest {
namespace {

// The next frame of type T (others on the way are skipped).
template <class T>
T next_of(WsClient& c) {
  return c.read_until<T>();
}

// Proves nothing is pending on `c` by round-tripping a ping; returns what came before.
std::vector<protocol::Message> pending(WsClient& c, std::uint64_t nonce) {
  std::vector<protocol::Message> before;
  c.expect_pong(nonce, &before);
  return before;
}

TEST(LiveSignals, PresenceFollowsTheFirstAndLastConnectionOfEachUser) {
  ServerProcess server;
  auto ann = connect_as(server.port(), "ann");
  ann->send(protocol::Join{"lobby", 0, "", std::nullopt});
  EXPECT_EQ(next_of<protocol::Present>(*ann),
            (protocol::Present{"lobby", {"ann"}}));
  ann->read_until<protocol::Joined>();

  auto bob1 = connect_as(server.port(), "bob");
  bob1->send(protocol::Join{"lobby", 0, "", std::nullopt});
  const auto seen_by_bob = next_of<protocol::Present>(*bob1);
  EXPECT_EQ(seen_by_bob.users, (std::vector<std::string>{"ann", "bob"}));
  EXPECT_EQ(next_of<protocol::Presence>(*ann), (protocol::Presence{"lobby", "bob", true}));

  // A second connection of bob's changes nothing for the room.
  auto bob2 = connect_as(server.port(), "bob");
  join(*bob2, "lobby");
  bob1.reset();  // one of two closes: still online
  EXPECT_TRUE(pending(*ann, 1).empty());
  bob2.reset();  // the last one: offline
  EXPECT_EQ(next_of<protocol::Presence>(*ann), (protocol::Presence{"lobby", "bob", false}));
}

TEST(LiveSignals, TypingIsRelayedWithTheSendersNameAndOnlyFromTheRoom) {
  ServerProcess server;
  auto ann = connect_as(server.port(), "ann");
  auto bob = connect_as(server.port(), "bob");
  join(*ann, "lobby");
  join(*bob, "lobby");
  bob->send(protocol::Typing{"lobby", "someone else", true});
  EXPECT_EQ(next_of<protocol::Typing>(*ann), (protocol::Typing{"lobby", "bob", true}));
  bob->send(protocol::Typing{"lobby", "", false});
  EXPECT_EQ(next_of<protocol::Typing>(*ann), (protocol::Typing{"lobby", "bob", false}));

  auto eve = connect_as(server.port(), "eve");
  eve->send(protocol::Typing{"lobby", "", true});
  EXPECT_EQ(eve->read_until<protocol::Error>().code, "not_joined");

  // The assistant types while it replies, and stops before its reply completes.
  ann->send(protocol::Send{"lobby", "t-1", "hello"});
  std::vector<protocol::Message> frames;
  ann->read_until<protocol::StreamCompleted>(&frames);
  std::vector<protocol::Typing> typing;
  for (const auto& f : frames)
    if (auto* t = std::get_if<protocol::Typing>(&f)) typing.push_back(*t);
  ASSERT_GE(typing.size(), 2u);
  EXPECT_EQ(typing.front(), (protocol::Typing{"lobby", "Parley", true}));
  EXPECT_EQ(typing.back(), (protocol::Typing{"lobby", "Parley", false}));
}

TEST(LiveSignals, ReceiptsMoveForwardOnlyAndCountUnread) {
  ServerProcess server;
  auto ann = connect_as(server.port(), "ann");
  auto bob = connect_as(server.port(), "bob");
  ann->send(protocol::CreateRoom{"quiet", protocol::RoomType::shared, protocol::AssistantMode::off});
  ann->read_until<protocol::RoomDetails>();
  join(*ann, "quiet");
  join(*bob, "quiet");
  for (const char* id : {"a-1", "a-2", "a-3"}) {
    ann->send(protocol::Send{"quiet", id, "news"});
    ann->read_until<protocol::Ack>();
  }
  bob->send(protocol::Mark{"quiet", 3, 1});
  EXPECT_EQ(next_of<protocol::Receipt>(*ann), (protocol::Receipt{"quiet", "bob", 3, 1}));
  bob->send(protocol::ListRooms{});
  auto rooms = bob->read_until<protocol::RoomList>().rooms;
  ASSERT_EQ(rooms.size(), 1u);
  EXPECT_EQ(rooms[0].read_seq, 1u);
  EXPECT_EQ(rooms[0].unread, 2u);

  // Backwards changes nothing; past the head is capped at the head.
  bob->send(protocol::Mark{"quiet", 1, 0});
  EXPECT_EQ(next_of<protocol::Receipt>(*ann), (protocol::Receipt{"quiet", "bob", 3, 1}));
  bob->send(protocol::Mark{"quiet", 99, 99});
  EXPECT_EQ(next_of<protocol::Receipt>(*ann), (protocol::Receipt{"quiet", "bob", 3, 3}));
  bob->send(protocol::ListRooms{});
  EXPECT_EQ(bob->read_until<protocol::RoomList>().rooms.at(0).unread, 0u);
  // Ann's own messages are never unread for her.
  ann->send(protocol::ListRooms{});
  EXPECT_EQ(ann->read_until<protocol::RoomList>().rooms.at(0).unread, 0u);

  auto eve = connect_as(server.port(), "eve");
  eve->send(protocol::Mark{"quiet", 1, 1});
  EXPECT_EQ(eve->read_until<protocol::Error>().code, "not_joined");
}

TEST(LiveSignals, UnsubscribeStopsTheRoomButKeepsMembership) {
  ServerProcess server;
  auto ann = connect_as(server.port(), "ann");
  auto bob = connect_as(server.port(), "bob");
  ann->send(protocol::CreateRoom{"team", protocol::RoomType::group, protocol::AssistantMode::off});
  ann->read_until<protocol::RoomDetails>();
  ann->send(protocol::Invite{"team", "bob", protocol::MemberRole::member});
  ann->read_until<protocol::RoomDetails>();
  join(*ann, "team");
  join(*bob, "team");
  EXPECT_EQ(next_of<protocol::Presence>(*ann), (protocol::Presence{"team", "bob", true}));

  bob->send(protocol::Unsubscribe{"team"});
  EXPECT_EQ(next_of<protocol::Unsubscribed>(*bob), (protocol::Unsubscribed{"team"}));
  EXPECT_EQ(next_of<protocol::Presence>(*ann), (protocol::Presence{"team", "bob", false}));

  // Nothing of the room reaches bob any more ...
  ann->send(protocol::Send{"team", "a-1", "while bob looks elsewhere"});
  ann->read_until<protocol::Ack>();
  ann->send(protocol::Typing{"team", "", true});
  for (const auto& f : pending(*bob, 7)) {
    EXPECT_FALSE(std::holds_alternative<protocol::Posted>(f)) << protocol::type_name(f);
    EXPECT_FALSE(std::holds_alternative<protocol::Typing>(f)) << protocol::type_name(f);
  }
  // ... and typing there is refused until he joins again.
  bob->send(protocol::Typing{"team", "", true});
  EXPECT_EQ(bob->read_until<protocol::Error>().code, "not_joined");

  // He is still a member: the room is listed with the message unread, and a join
  // resumes from his position without being invited again.
  bob->send(protocol::ListRooms{});
  const auto rooms = bob->read_until<protocol::RoomList>().rooms;
  const auto team = std::find_if(rooms.begin(), rooms.end(),
                                 [](const protocol::RoomSummary& r) { return r.room == "team"; });
  ASSERT_NE(team, rooms.end());
  EXPECT_EQ(team->unread, 1u);
  bob->send(protocol::Join{"team", 50, "", std::nullopt});
  const auto joined = bob->read_until<protocol::Joined>();
  ASSERT_FALSE(joined.history.empty());
  EXPECT_EQ(joined.history.back().text, "while bob looks elsewhere");
}

// The conversation state machine over the wire: allowed changes reach the whole room,
// refused ones change nothing and say what is allowed; a joiner learns the state; a
// voice front-end's transcript and speech events are relayed with the sender's name.
TEST(LiveSignals, ConversationStateChangesFollowTheTableAndVoiceFramesAreRelayed) {
  ServerProcess server;
  auto ann = connect_as(server.port(), "ann");
  auto bob = connect_as(server.port(), "bob");
  join(*ann, "lobby");
  join(*bob, "lobby");

  ann->send(protocol::StateChangeRequest{"lobby", "listening", "user_started_speaking"});
  const auto update = next_of<protocol::StateUpdate>(*bob);
  EXPECT_EQ(update.state, "listening");
  EXPECT_EQ(update.previous, "idle");
  EXPECT_EQ(update.user, "ann");
  EXPECT_EQ(update.reason, "user_started_speaking");
  EXPECT_EQ(next_of<protocol::StateUpdate>(*ann), update);

  ann->send(protocol::StateChangeRequest{"lobby", "speaking", ""});
  const auto refused = ann->read_until<protocol::Error>();
  EXPECT_EQ(refused.code, "invalid_transition");
  EXPECT_EQ(refused.message,
            "listening cannot change to speaking; from listening: processing, idle, error");
  EXPECT_TRUE(pending(*bob, 3).empty()) << "a refused change is not broadcast";
  ann->send(protocol::StateChangeRequest{"lobby", "shouting", ""});
  EXPECT_EQ(ann->read_until<protocol::Error>().code, "bad_field");

  bob->send(protocol::TranscriptUpdate{"lobby", "someone", "hello ho", "", 0.5});
  EXPECT_EQ(next_of<protocol::TranscriptUpdate>(*ann),
            (protocol::TranscriptUpdate{"lobby", "bob", "hello ho", "", 0.5}));
  bob->send(protocol::TranscriptUpdate{"lobby", "", "", "x", 1.5});
  EXPECT_EQ(bob->read_until<protocol::Error>().code, "bad_field");
  bob->send(protocol::SpeechEvent{"lobby", "", "speech_start", R"j({"volume":0.8})j"});
  const auto speech = next_of<protocol::SpeechEvent>(*ann);
  EXPECT_EQ(speech.user, "bob");
  EXPECT_EQ(speech.data, R"j({"volume":0.8})j");

  // Someone joining now learns where the conversation stands.
  auto cy = connect_as(server.port(), "cy");
  cy->send(protocol::Join{"lobby", 0, "", std::nullopt});
  cy->read_until<protocol::Joined>();
  EXPECT_EQ(next_of<protocol::StateUpdate>(*cy).state, "listening");

  // Through to ended, after which nothing changes; outsiders cannot ask at all.
  for (const char* s : {"processing", "error", "ended"}) {
    ann->send(protocol::StateChangeRequest{"lobby", s, ""});
    EXPECT_EQ(next_of<protocol::StateUpdate>(*ann).state, s);
  }
  ann->send(protocol::StateChangeRequest{"lobby", "idle", ""});
  EXPECT_EQ(ann->read_until<protocol::Error>().message,
            "ended cannot change to idle; from ended: nothing (the conversation ended)");
  auto eve = connect_as(server.port(), "eve");
  eve->send(protocol::StateChangeRequest{"lobby", "idle", ""});
  EXPECT_EQ(eve->read_until<protocol::Error>().code, "not_joined");
}

TEST(LiveSignals, ARoomMadeAgainUnderADeletedOnesNameStartsIdle) {
  ServerProcess server;
  auto ann = connect_as(server.port(), "ann");
  for (int round = 0; round < 2; ++round) {
    ann->send(protocol::CreateRoom{"talk", protocol::RoomType::group, protocol::AssistantMode::off});
    ann->read_until<protocol::RoomDetails>();
    join(*ann, "talk");
    // From idle, ended is allowed: the second round proves the first one's end is gone.
    ann->send(protocol::StateChangeRequest{"talk", "ended", ""});
    const auto update = next_of<protocol::StateUpdate>(*ann);
    EXPECT_EQ(update.previous, "idle") << "round " << round;
    EXPECT_EQ(update.state, "ended");
    ann->send(protocol::DeleteRoom{"talk"});
    ann->read_until<protocol::RoomDeleted>();
  }
}

}  // namespace
}  // namespace parley::itest
