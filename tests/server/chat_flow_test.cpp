// Two clients chatting in one room through the real server: ordering, acks,
// duplicates and room isolation.
#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "chat_steps.hpp"
#include "frame_log.hpp"
#include "server_process.hpp"

namespace parley::itest {
namespace {

using protocol::ChatMessage;
using protocol::MessageKind;
using protocol::MessageStatus;

const ChatMessage* find_by_client_id(const std::vector<ChatMessage>& messages,
                                     const std::string& client_id) {
  auto it = std::find_if(messages.begin(), messages.end(),
                         [&](const ChatMessage& m) { return m.client_id == client_id; });
  return it == messages.end() ? nullptr : &*it;
}

bool has_posted_or_started(const std::vector<protocol::Message>& frames) {
  return std::any_of(frames.begin(), frames.end(), [](const protocol::Message& m) {
    return std::holds_alternative<protocol::Posted>(m) ||
           std::holds_alternative<protocol::StreamStarted>(m);
  });
}

TEST(ChatFlow, HelloIsWelcomedAndPingsAreAnswered) {
  ServerProcess server;
  WsClient client(server.port());
  client.send(protocol::Hello{"dana", "parley-itest/1", ""});
  const protocol::Message first = client.read();
  const auto* welcome = std::get_if<protocol::Welcome>(&first);
  ASSERT_NE(welcome, nullptr) << describe(first);
  EXPECT_EQ(welcome->user, "dana");
  EXPECT_FALSE(welcome->server.empty());
  EXPECT_GT(welcome->heartbeat_ms, 0u);
  EXPECT_EQ(welcome->max_message_bytes, 64u * 1024u);

  for (const std::uint64_t nonce : {std::uint64_t{0}, std::uint64_t{42}, ~std::uint64_t{0}}) {
    client.send(protocol::Ping{nonce});
    const protocol::Message answer = client.read();
    EXPECT_EQ(answer, protocol::Message(protocol::Pong{nonce})) << describe(answer);
  }
}

TEST(ChatFlow, TwoClientsSeeEveryMessageInTheSameOrder) {
  ServerProcess server;
  auto alice = connect_as(server.port(), "alice");
  auto bob = connect_as(server.port(), "bob");
  const protocol::Joined alice_joined = join(*alice, "lobby");
  const protocol::Joined bob_joined = join(*bob, "lobby");
  EXPECT_TRUE(alice_joined.history.empty());
  EXPECT_EQ(alice_joined.epoch, bob_joined.epoch);
  EXPECT_FALSE(alice_joined.epoch.empty());

  // Interleaved sends without waiting in between.
  alice->send(protocol::Send{"lobby", "a-1", "first from alice"});
  bob->send(protocol::Send{"lobby", "b-1", "first from bob"});
  alice->send(protocol::Send{"lobby", "a-2", "second from alice"});
  bob->send(protocol::Send{"lobby", "b-2", "second from bob"});

  auto everything_arrived = [](const FrameLog& log) {
    return log.acks.size() == 2 && log.posted_by_users() == 4 && log.completed_replies() == 4;
  };
  FrameLog alice_log;
  FrameLog bob_log;
  alice_log.read_until(*alice, everything_arrived);
  bob_log.read_until(*bob, everything_arrived);

  EXPECT_TRUE(alice_log.errors.empty());
  EXPECT_TRUE(bob_log.errors.empty());
  ASSERT_EQ(alice_log.posted, bob_log.posted);
  ASSERT_EQ(alice_log.positions, bob_log.positions);
  ASSERT_EQ(alice_log.positions.size(), 12u) << "4 user messages, 4 replies, 4 reply ends";
  for (std::size_t i = 1; i < alice_log.positions.size(); ++i) {
    EXPECT_EQ(alice_log.positions[i - 1] + 1, alice_log.positions[i]) << "gap or disorder at " << i;
  }
  EXPECT_GT(alice_log.positions.front(), alice_joined.head_seq);

  struct Expected {
    const char* client_id;
    const char* author;
    const char* text;
    const FrameLog* sender_log;
  };
  const std::vector<Expected> expected = {{"a-1", "alice", "first from alice", &alice_log},
                                          {"b-1", "bob", "first from bob", &bob_log},
                                          {"a-2", "alice", "second from alice", &alice_log},
                                          {"b-2", "bob", "second from bob", &bob_log}};
  for (const Expected& e : expected) {
    SCOPED_TRACE(e.client_id);
    const ChatMessage* m = find_by_client_id(alice_log.posted, e.client_id);
    ASSERT_NE(m, nullptr);
    EXPECT_EQ(m->room, "lobby");
    EXPECT_EQ(m->author, e.author);
    EXPECT_EQ(m->text, e.text);
    EXPECT_EQ(m->kind, MessageKind::user);
    EXPECT_EQ(m->status, MessageStatus::complete);
    const protocol::Ack* ack = e.sender_log->ack_for(e.client_id);
    ASSERT_NE(ack, nullptr);
    EXPECT_EQ(*ack, (protocol::Ack{"lobby", e.client_id, m->seq, false}));

    const ObservedReply* reply = alice_log.reply_to(m->seq);
    ASSERT_NE(reply, nullptr) << "no reply to seq " << m->seq;
    ASSERT_TRUE(reply->completed.has_value());
    EXPECT_GT(reply->started->seq, m->seq);
    EXPECT_EQ(reply->started->author, "Parley");
    EXPECT_EQ(reply->completed->reply_seq, reply->started->seq);
    EXPECT_GT(reply->completed->seq, reply->started->seq) << "the end is a later event";
    EXPECT_EQ(reply->completed->status, MessageStatus::complete);
    EXPECT_EQ(reply->contiguous_text(), reply->completed->text);
  }
  // Each sender's own messages keep their order.
  EXPECT_LT(find_by_client_id(alice_log.posted, "a-1")->seq,
            find_by_client_id(alice_log.posted, "a-2")->seq);
  EXPECT_LT(find_by_client_id(alice_log.posted, "b-1")->seq,
            find_by_client_id(alice_log.posted, "b-2")->seq);
  // Acks go to the sender only.
  EXPECT_EQ(alice_log.acks.size(), 2u);
  EXPECT_EQ(bob_log.acks.size(), 2u);
  EXPECT_EQ(alice_log.reply_order, bob_log.reply_order);
  for (const auto& [gen_id, reply] : alice_log.replies) {
    ASSERT_TRUE(bob_log.replies.count(gen_id));
    EXPECT_EQ(bob_log.replies.at(gen_id).completed, reply.completed);
  }

  // A later joiner gets the same room from the store.
  const protocol::Joined later = history_of(server.port(), "lobby");
  EXPECT_EQ(later.epoch, alice_joined.epoch);
  ASSERT_EQ(later.history.size(), 8u);
  const protocol::Joined events = full_history(server.port(), "lobby");
  EXPECT_EQ(events.head_seq, events.history.back().seq);
  std::vector<std::uint64_t> stored_positions;
  for (const ChatMessage& m : events.history) stored_positions.push_back(m.seq);
  EXPECT_EQ(stored_positions, alice_log.positions);
  for (const ChatMessage& m : later.history) {
    if (m.kind == MessageKind::user) {
      const ChatMessage* live = find_by_client_id(alice_log.posted, m.client_id);
      ASSERT_NE(live, nullptr);
      EXPECT_EQ(m, *live);
    } else {
      EXPECT_EQ(m.kind, MessageKind::assistant);
      ASSERT_TRUE(alice_log.replies.count(m.gen_id)) << m.gen_id;
      EXPECT_EQ(m.text, alice_log.replies.at(m.gen_id).completed->text);
      EXPECT_EQ(m.status, MessageStatus::complete);
    }
  }
}

TEST(ChatFlow, RetriedClientIdIsAcknowledgedOnceAndNotRebroadcast) {
  ServerProcess server;
  auto alice = connect_as(server.port(), "alice");
  auto bob = connect_as(server.port(), "bob");
  join(*alice, "lobby");
  join(*bob, "lobby");

  const protocol::Send send{"lobby", "retry-1", "say it once"};
  alice->send(send);
  auto settled = [](const FrameLog& log) {
    return log.posted_by_users() == 1 && log.completed_replies() == 1;
  };
  FrameLog alice_log;
  FrameLog bob_log;
  alice_log.read_until(*alice, [&](const FrameLog& log) { return settled(log) && !log.acks.empty(); });
  bob_log.read_until(*bob, settled);
  const protocol::Ack first = alice_log.acks.at(0);
  EXPECT_FALSE(first.duplicate);
  EXPECT_EQ(first.seq, alice_log.posted.at(0).seq);

  alice->send(send);
  std::vector<protocol::Message> before_ack;
  const protocol::Ack again = alice->read_until<protocol::Ack>(&before_ack);
  EXPECT_EQ(again, (protocol::Ack{"lobby", "retry-1", first.seq, true}));

  std::vector<protocol::Message> alice_after;
  std::vector<protocol::Message> bob_after;
  alice->expect_pong(11, &alice_after);
  bob->expect_pong(12, &bob_after);
  EXPECT_FALSE(has_posted_or_started(before_ack));
  EXPECT_FALSE(has_posted_or_started(alice_after));
  EXPECT_FALSE(has_posted_or_started(bob_after));

  const protocol::Joined stored = history_of(server.port(), "lobby");
  ASSERT_EQ(stored.history.size(), 2u) << "the message and its one reply";
  EXPECT_EQ(stored.history[0], alice_log.posted.at(0));
  EXPECT_EQ(stored.history[1].kind, MessageKind::assistant);
}

TEST(ChatFlow, MessagesStayInTheirRoom) {
  ServerProcess server;
  auto alice = connect_as(server.port(), "alice");
  auto bob = connect_as(server.port(), "bob");
  join(*alice, "lobby");
  join(*bob, "side-room");

  alice->send(protocol::Send{"lobby", "only-lobby", "lobby only"});
  FrameLog alice_log;
  alice_log.read_until(*alice, [](const FrameLog& log) { return log.completed_replies() == 1; });

  std::vector<protocol::Message> bob_saw;
  bob->expect_pong(5, &bob_saw);
  EXPECT_TRUE(bob_saw.empty()) << describe(bob_saw.front());
  EXPECT_TRUE(history_of(server.port(), "side-room").history.empty());
  EXPECT_EQ(history_of(server.port(), "lobby").history.size(), 2u);
}

}  // namespace
}  // namespace parley::itest
