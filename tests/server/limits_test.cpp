// Per-connection rate limits: refused frames get rate_limited with retry_after_ms and
// change nothing; the connection and the server carry on.
#include <gtest/gtest.h>

#include <csignal>
#include <string>
#include <thread>

#include "chat_steps.hpp"
#include "frame_log.hpp"
#include "server_process.hpp"

namespace parley::itest {
namespace {

// Another user can still connect (limits are per user).
bool bob_free(std::uint16_t port) { return connect_as(port, "bob") != nullptr; }

// A server with the given limits (the harness otherwise runs without rate limits).
std::unique_ptr<ServerProcess> limited(std::vector<std::string> args) {
  return std::make_unique<ServerProcess>(ServerProcess::Options{}, std::move(args));
}

std::string id_of(int i) {
  std::string id = "lim-";
  id += std::to_string(i);
  return id;
}

TEST(Limits, FramesOverTheWindowAreRefusedWithRetryAfterAndNothingIsStored) {
  auto limited_server = limited({"--rate-frames", "5", "--rate-window-ms", "3000"});
  ServerProcess& server = *limited_server;
  auto alice = connect_as(server.port(), "alice");  // frame 1
  join(*alice, "lobby", 0);                        // frame 2
  for (int i = 0; i < 4; ++i) alice->send(protocol::Send{"lobby", id_of(i), "quick"});  // 3..6
  FrameLog log;
  log.read_until(*alice, [](const FrameLog& l) { return l.acks.size() == 3 && !l.errors.empty(); });
  ASSERT_EQ(log.errors.size(), 1u);
  const protocol::Error& refused = log.errors[0];
  EXPECT_EQ(refused.code, "rate_limited");
  EXPECT_EQ(refused.ref, "lim-3") << "the refused send is named by its client_id";
  EXPECT_GT(refused.retry_after_ms, 0u);
  EXPECT_LE(refused.retry_after_ms, 3000u);
  EXPECT_EQ(log.acks.back().client_id, "lim-2");

  // Pings are not counted: the connection is alive and answers.
  alice->send(protocol::Ping{7});
  EXPECT_EQ(alice->read_until<protocol::Pong>().nonce, 7u);

  // After retry_after_ms the same send goes through, once.
  std::this_thread::sleep_for(std::chrono::milliseconds(refused.retry_after_ms));
  alice->send(protocol::Send{"lobby", "lim-3", "quick"});
  EXPECT_EQ(alice->read_until<protocol::Ack>().client_id, "lim-3");
  const auto stored = shown(full_history(server.port(), "lobby").history);
  int users = 0;
  for (const auto& m : stored) users += m.kind == protocol::MessageKind::user ? 1 : 0;
  EXPECT_EQ(users, 4);
}

TEST(Limits, BytesOverTheWindowAreRefused) {
  auto limited_server = limited({"--rate-bytes", "900"});
  ServerProcess& server = *limited_server;
  auto bob = connect_as(server.port(), "bob");
  join(*bob, "lobby", 0);
  const std::string big(400, 'x');
  bob->send(protocol::Send{"lobby", "b-1", big});
  bob->send(protocol::Send{"lobby", "b-2", big});
  FrameLog log;
  log.read_until(*bob, [](const FrameLog& l) { return l.acks.size() + l.errors.size() == 2; });
  ASSERT_EQ(log.errors.size(), 1u);
  EXPECT_EQ(log.errors[0].code, "rate_limited");
  EXPECT_EQ(log.errors[0].ref, "b-2");
  EXPECT_EQ(log.acks.at(0).client_id, "b-1");
}

TEST(Limits, ConnectionsPerUser) {
  auto limited_server = limited({"--max-connections-per-user", "2"});
  ServerProcess& server = *limited_server;
  auto first = connect_as(server.port(), "ann");
  auto second = connect_as(server.port(), "ANN");  // the same name, another spelling
  WsClient third(server.port());
  third.send(protocol::Hello{"ann", "parley-itest/1", ""});
  const auto refused = third.read_until<protocol::Error>();
  EXPECT_EQ(refused.code, "limit_exceeded");
  EXPECT_EQ(refused.ref, "ann");
  first.reset();
  // The close is noticed on the server's side; once it is, ann may connect again.
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  for (;;) {
    third.send(protocol::Hello{"ann", "parley-itest/1", ""});
    const protocol::Message m = third.read();
    if (std::holds_alternative<protocol::Welcome>(m)) break;
    // Each refusal is a full round trip, so this waits on the server, not on a clock.
    ASSERT_LT(std::chrono::steady_clock::now(), deadline) << "never accepted after a close";
  }
  EXPECT_EQ(bob_free(server.port()), true);
}

TEST(Limits, RoomsPerUser) {
  auto limited_server = limited({"--max-rooms-per-user", "2"});
  ServerProcess& server = *limited_server;
  auto ann = connect_as(server.port(), "ann");
  for (const char* room : {"one", "two"}) {
    ann->send(protocol::CreateRoom{room, protocol::RoomType::group, protocol::AssistantMode::off});
    ann->read_until<protocol::RoomDetails>();
  }
  ann->send(protocol::CreateRoom{"three", protocol::RoomType::group, protocol::AssistantMode::off});
  EXPECT_EQ(ann->read_until<protocol::Error>().code, "limit_exceeded");
  ann->send(protocol::Join{"three", 0, "", std::nullopt});  // joining would create it
  EXPECT_EQ(ann->read_until<protocol::Error>().code, "limit_exceeded");
  join(*ann, "lobby");  // the lobby belongs to nobody: always open
  ann->send(protocol::DeleteRoom{"one"});
  ann->read_until<protocol::RoomDeleted>();
  ann->send(protocol::CreateRoom{"three", protocol::RoomType::group, protocol::AssistantMode::off});
  EXPECT_EQ(ann->read_until<protocol::RoomDetails>().summary.room, "three");
}

TEST(Limits, TextNameAndRoomLengthsAreConfigurable) {
  auto limited_server = limited({"--max-text-bytes", "100", "--max-name-bytes", "5",
                                 "--max-room-bytes", "6"});
  ServerProcess& server = *limited_server;
  WsClient long_name(server.port());
  long_name.send(protocol::Hello{"abcdef", "parley-itest/1", ""});
  const auto refused_name = long_name.read_until<protocol::Error>();
  EXPECT_EQ(refused_name.code, "invalid_name");
  EXPECT_EQ(refused_name.message, "name is longer than 5 bytes");

  WsClient ann(server.port());
  ann.send(protocol::Hello{"ann", "parley-itest/1", ""});
  EXPECT_EQ(ann.read_until<protocol::Welcome>().max_text_bytes, 100u) << "announced to clients";
  join(ann, "lobby", 0);  // an existing room's longer name is fine
  ann.send(protocol::Send{"lobby", "t-1", std::string(101, 'x')});
  const auto refused_text = ann.read_until<protocol::Error>();
  EXPECT_EQ(refused_text.code, "invalid_text");
  EXPECT_EQ(refused_text.ref, "t-1");
  ann.send(protocol::Send{"lobby", "t-2", std::string(100, 'x')});
  EXPECT_EQ(ann.read_until<protocol::Ack>().client_id, "t-2");

  // New rooms, made or joined into being, keep to the room-name limit.
  ann.send(protocol::CreateRoom{"sevens", protocol::RoomType::group, protocol::AssistantMode::off});
  EXPECT_EQ(ann.read_until<protocol::RoomDetails>().summary.room, "sevens");
  ann.send(protocol::CreateRoom{"seven77", protocol::RoomType::group, protocol::AssistantMode::off});
  EXPECT_EQ(ann.read_until<protocol::Error>().code, "invalid_room");
  ann.send(protocol::Join{"seven77", 0, "", std::nullopt});
  EXPECT_EQ(ann.read_until<protocol::Error>().code, "invalid_room");
}

}  // namespace
}  // namespace parley::itest
