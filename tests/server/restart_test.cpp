// Stopping the server (cleanly or not) and starting it again on the same database.
#include <gtest/gtest.h>

#include <csignal>
#include <string>

#include "chat_steps.hpp"
#include "frame_log.hpp"
#include "server_process.hpp"

namespace parley::itest {
namespace {

using protocol::ChatMessage;
using protocol::MessageKind;
using protocol::MessageStatus;

// Sends `text` and waits until its reply has completed; returns the client's log.
FrameLog say_and_wait_for_reply(WsClient& client, const std::string& client_id,
                                const std::string& text) {
  client.send(protocol::Send{"lobby", client_id, text});
  FrameLog log;
  log.read_until(client, [](const FrameLog& l) {
    return l.acks.size() == 1 && l.posted.size() == 1 && l.completed_replies() == 1;
  });
  return log;
}

// One of the two is a prefix of the other: both are prefixes of the same reply.
bool prefix_related(const std::string& a, const std::string& b) {
  return a.size() <= b.size() ? b.compare(0, a.size(), a) == 0 : a.compare(0, b.size(), b) == 0;
}

TEST(Restart, CleanStopKeepsHistorySeqsAndEpoch) {
  ServerProcess server;
  protocol::Joined before;
  {
    auto alice = connect_as(server.port(), "alice");
    join(*alice, "lobby");
    say_and_wait_for_reply(*alice, "r-1", "remember me");
    say_and_wait_for_reply(*alice, "r-2", "and me");
    before = history_of(server.port(), "lobby");
  }
  ASSERT_EQ(before.history.size(), 4u);

  const ExitStatus status = server.stop(SIGTERM);
  EXPECT_TRUE(status.exited) << "ended by signal " << status.signal;
  EXPECT_EQ(status.code, 0);

  server.start();
  const protocol::Joined after = history_of(server.port(), "lobby");
  EXPECT_EQ(after, before);

  auto bob = connect_as(server.port(), "bob");
  join(*bob, "lobby");
  const FrameLog log = say_and_wait_for_reply(*bob, "r-3", "after the restart");
  EXPECT_GT(log.posted.at(0).seq, before.head_seq);
  EXPECT_GT(log.replies.begin()->second.started->seq, log.posted.at(0).seq);

  // A retry of a message stored before the restart is still recognised.
  bob->send(protocol::Send{"lobby", "r-3", "after the restart"});
  EXPECT_EQ(bob->read_until<protocol::Ack>(),
            (protocol::Ack{"lobby", "r-3", log.posted.at(0).seq, true}));
}

// Stops the server with `signal` while a slow reply is streaming, after the client
// saw its first delta, then restarts it and checks what survived.
void interrupt_streaming_reply(int signal) {
  ServerProcess server;
  protocol::Joined settled;
  {
    auto alice = connect_as(server.port(), "alice");
    join(*alice, "lobby");
    say_and_wait_for_reply(*alice, "done-1", "this one completes");
    settled = history_of(server.port(), "lobby");
  }
  ASSERT_EQ(settled.history.size(), 2u);
  ASSERT_EQ(server.stop(SIGTERM).code, 0);

  server.set_assistant_delay_ms(200);
  server.start();
  auto alice = connect_as(server.port(), "alice");
  join(*alice, "lobby");
  alice->send(protocol::Send{"lobby", "cut-1", "this one is cut short"});
  FrameLog log;
  // Three deltas at 200 ms apart: several 50 ms checkpoints have been stored.
  log.read_until(*alice, [](const FrameLog& l) {
    return l.acks.size() == 1 && !l.replies.empty() && l.replies.begin()->second.deltas.size() >= 3;
  });
  const ChatMessage question = log.posted.at(0);
  const protocol::StreamStarted started = *log.replies.begin()->second.started;
  const std::string seen_text = log.replies.begin()->second.contiguous_text();
  ASSERT_FALSE(log.replies.begin()->second.completed.has_value())
      << "reply finished before the stop; the test needs a slower assistant";

  const ExitStatus status = server.stop(signal);
  if (signal == SIGKILL) {
    EXPECT_EQ(status.signal, SIGKILL);
  } else {
    EXPECT_TRUE(status.exited) << "ended by signal " << status.signal;
    EXPECT_EQ(status.code, 0);
  }
  alice.reset();

  server.set_assistant_delay_ms(2);
  server.start();
  const protocol::Joined after = history_of(server.port(), "lobby");
  EXPECT_EQ(after.epoch, settled.epoch);
  ASSERT_EQ(after.history.size(), 4u);
  EXPECT_EQ(after.history[0], settled.history[0]);
  EXPECT_EQ(after.history[1], settled.history[1]);
  EXPECT_EQ(after.history[2], question);
  const ChatMessage& cut = after.history[3];
  EXPECT_EQ(cut.seq, started.seq);
  EXPECT_EQ(cut.gen_id, started.gen_id);
  EXPECT_EQ(cut.kind, MessageKind::assistant);
  EXPECT_EQ(cut.status, MessageStatus::interrupted);
  EXPECT_TRUE(prefix_related(cut.text, seen_text))
      << "stored '" << cut.text << "' vs streamed '" << seen_text << "'";
  // Checkpoints kept what was streamed before the stop, even through SIGKILL.
  EXPECT_FALSE(cut.text.empty()) << "nothing of the partial reply was kept";
  // The interruption is an event of its own, so a client resuming from the reply's
  // start learns how it ended.
  EXPECT_EQ(after.head_seq, cut.seq + 1);
  const protocol::Joined events = full_history(server.port(), "lobby");
  ASSERT_EQ(events.history.size(), 6u);
  const ChatMessage& end = events.history.back();
  EXPECT_EQ(end.kind, MessageKind::end);
  EXPECT_EQ(end.ref, cut.seq);
  EXPECT_EQ(end.status, MessageStatus::interrupted);
  EXPECT_EQ(end.text, cut.text);

  auto bob = connect_as(server.port(), "bob");
  join(*bob, "lobby");
  const FrameLog next = say_and_wait_for_reply(*bob, "next-1", "carry on");
  EXPECT_GT(next.posted.at(0).seq, cut.seq);
  EXPECT_GT(next.replies.begin()->second.started->seq, next.posted.at(0).seq);
  EXPECT_EQ(next.replies.begin()->second.completed->status, MessageStatus::complete);
}

TEST(Restart, KillDuringStreamLeavesReplyInterruptedAndLosesNothing) {
  interrupt_streaming_reply(SIGKILL);
}

TEST(Restart, TermDuringStreamStoresReplyAsInterrupted) { interrupt_streaming_reply(SIGTERM); }

}  // namespace
}  // namespace parley::itest
