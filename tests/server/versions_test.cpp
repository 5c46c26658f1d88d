// Regenerating a reply and editing a message: new versions as room events.
#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "chat_steps.hpp"
#include "server_process.hpp"

namespace parley::itest {
namespace {

using protocol::ChatMessage;
using protocol::MessageKind;
using protocol::MessageStatus;

const ChatMessage* at_seq(const std::vector<ChatMessage>& all, std::uint64_t seq) {
  auto it = std::find_if(all.begin(), all.end(), [&](const ChatMessage& m) { return m.seq == seq; });
  return it == all.end() ? nullptr : &*it;
}

TEST(Versions, RegenerateMakesASiblingReplyToTheSameMessage) {
  ServerProcess server;
  auto ann = connect_as(server.port(), "ann");
  auto bob = connect_as(server.port(), "bob");
  join(*ann, "lobby");
  join(*bob, "lobby");
  ann->send(protocol::Send{"lobby", "q-1", "what is 6*7?"});
  const auto first = ann->read_until<protocol::StreamStarted>();
  const auto first_done = ann->read_until<protocol::StreamCompleted>();
  EXPECT_EQ(first_done.status, MessageStatus::complete);

  // Anyone in the room may ask for another version; the room sees it stream.
  bob->send(protocol::Regenerate{"lobby", first.seq, std::nullopt});
  const auto second = ann->read_until<protocol::StreamStarted>();
  EXPECT_EQ(second.reply_to, first.reply_to);
  EXPECT_GT(second.seq, first_done.seq);
  EXPECT_NE(second.gen_id, first.gen_id);
  const auto second_done = ann->read_until<protocol::StreamCompleted>();
  EXPECT_EQ(second_done.reply_seq, second.seq);
  EXPECT_NE(second_done.text.find("42"), std::string::npos) << second_done.text;

  const auto all = full_history(server.port(), "lobby").history;
  const ChatMessage* a = at_seq(all, first.seq);
  const ChatMessage* b = at_seq(all, second.seq);
  ASSERT_TRUE(a && b);
  EXPECT_EQ(a->ref, first.reply_to) << "a reply names the message it answers";
  EXPECT_EQ(b->ref, first.reply_to);
  EXPECT_EQ(b->kind, MessageKind::assistant);
  EXPECT_EQ(a->text, first_done.text) << "the earlier version is kept";
}

TEST(Versions, RegenerateRefusesWhatIsNotAnEndedReply) {
  ServerProcess::Options options;
  options.assistant_delay_ms = 40;
  ServerProcess server(options);
  auto ann = connect_as(server.port(), "ann");
  join(*ann, "lobby");
  ann->send(protocol::Send{"lobby", "q-1", "tell me a long story about the sea please"});
  const auto ack = ann->read_until<protocol::Ack>();
  const auto started = ann->read_until<protocol::StreamStarted>();
  ann->send(protocol::Regenerate{"lobby", started.seq, std::nullopt});
  auto e = ann->read_until<protocol::Error>();
  EXPECT_EQ(e.code, "invalid_target");
  EXPECT_NE(e.message.find("still being written"), std::string::npos) << e.message;
  ann->send(protocol::Regenerate{"lobby", ack.seq, std::nullopt});
  EXPECT_EQ(ann->read_until<protocol::Error>().code, "invalid_target") << "a user message";
  ann->send(protocol::Regenerate{"lobby", 9999, std::nullopt});
  EXPECT_EQ(ann->read_until<protocol::Error>().code, "invalid_target");
  ann->send(protocol::Regenerate{"elsewhere", started.seq, std::nullopt});
  EXPECT_EQ(ann->read_until<protocol::Error>().code, "not_joined");
  protocol::GenerationOptions bad;
  bad.temperature = 7;
  ann->send(protocol::Regenerate{"lobby", started.seq, bad});
  e = ann->read_until<protocol::Error>();
  EXPECT_EQ(e.code, "bad_field");
  EXPECT_NE(e.message.find("regenerate.options.temperature"), std::string::npos) << e.message;
}

TEST(Versions, AnEditIsANewVersionOfTheSendersOwnMessageAndIsAnswered) {
  ServerProcess server;
  auto ann = connect_as(server.port(), "ann");
  auto bob = connect_as(server.port(), "bob");
  join(*ann, "lobby");
  join(*bob, "lobby");
  ann->send(protocol::Send{"lobby", "q-1", "what is 2+2?"});
  const auto q1 = ann->read_until<protocol::Ack>();
  ann->read_until<protocol::StreamCompleted>();

  // Someone else's message is not theirs to edit.
  bob->send(protocol::Send{"lobby", "b-1", "what is 9+9?", std::nullopt, q1.seq});
  const auto refused = bob->read_until<protocol::Error>();
  EXPECT_EQ(refused.code, "invalid_target");
  EXPECT_EQ(refused.ref, "b-1");

  ann->send(protocol::Send{"lobby", "q-2", "what is 3+3?", std::nullopt, q1.seq});
  const auto q2 = ann->read_until<protocol::Ack>();
  const auto reply = ann->read_until<protocol::StreamStarted>();
  EXPECT_EQ(reply.reply_to, q2.seq);
  const auto done = ann->read_until<protocol::StreamCompleted>();
  EXPECT_NE(done.text.find("6"), std::string::npos) << done.text;

  // An edit of the edit still names the first version.
  ann->send(protocol::Send{"lobby", "q-3", "what is 4+4?", std::nullopt, q2.seq});
  const auto q3 = ann->read_until<protocol::Ack>();
  // Resending the same edit (after a reconnect) stores nothing new.
  ann->send(protocol::Send{"lobby", "q-3", "what is 4+4?", std::nullopt, q2.seq});
  const auto again = ann->read_until<protocol::Ack>();
  EXPECT_TRUE(again.duplicate);
  EXPECT_EQ(again.seq, q3.seq);

  const auto all = full_history(server.port(), "lobby").history;
  ASSERT_TRUE(at_seq(all, q2.seq) && at_seq(all, q3.seq));
  EXPECT_EQ(at_seq(all, q2.seq)->ref, q1.seq);
  EXPECT_EQ(at_seq(all, q3.seq)->ref, q1.seq);
  EXPECT_EQ(at_seq(all, q1.seq)->text, "what is 2+2?") << "the first version is kept";
}

}  // namespace
}  // namespace parley::itest
