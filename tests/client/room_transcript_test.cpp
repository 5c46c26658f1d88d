#include "parley/room_transcript.hpp"

#include <gtest/gtest.h>

#include "session_harness.hpp"

namespace parley::client {
namespace {

using testing::chat;
namespace p = parley::protocol;

Entry pending(std::string client_id, std::string text) {
  Entry e;
  e.author = "ann";
  e.text = std::move(text);
  e.client_id = std::move(client_id);
  e.delivery = Delivery::sending;
  return e;
}

std::vector<std::uint64_t> seqs(const RoomTranscript& t) {
  std::vector<std::uint64_t> out;
  for (const Entry& e : t.entries()) out.push_back(e.seq);
  return out;
}

TEST(RoomTranscript, MergesOutOfOrderWithoutDuplicates) {
  RoomTranscript t;
  t.merge(chat(5, "bob", "five"), "ann");
  t.merge(chat(2, "bob", "two"), "ann");
  t.merge(chat(9, "bob", "nine"), "ann");
  t.merge(chat(5, "bob", "five"), "ann");
  t.merge(chat(2, "bob", "two"), "ann");
  EXPECT_EQ(seqs(t), (std::vector<std::uint64_t>{2, 5, 9}));
}

TEST(RoomTranscript, PendingStaysAfterStoredMessages) {
  RoomTranscript t;
  t.add_pending(pending("c1", "mine"));
  t.merge(chat(3, "bob", "later"), "ann");
  EXPECT_EQ(seqs(t), (std::vector<std::uint64_t>{3, 0}));
  t.acknowledge("c1", 4);
  EXPECT_EQ(seqs(t), (std::vector<std::uint64_t>{3, 4}));
  EXPECT_EQ(t.find_seq(4)->delivery, Delivery::sent);
}

TEST(RoomTranscript, SameClientIdFromAnotherAuthorIsNotMine) {
  RoomTranscript t;
  t.add_pending(pending("c1", "mine"));
  t.merge(chat(1, "bob", "his", "c1"), "ann");
  ASSERT_EQ(t.size(), 2u);
  EXPECT_TRUE(t.has_pending("c1"));
  EXPECT_EQ(t.find_seq(1)->delivery, Delivery::none);
}

TEST(RoomTranscript, StreamingSnapshotDoesNotShortenNewerText) {
  RoomTranscript t;
  t.stream_started(p::StreamStarted{"lobby", "g1", 1, 0, "Parley", 0});
  t.stream_delta(p::StreamDelta{"lobby", "g1", 0, "Hello wor"});
  t.merge(chat(1, "Parley", "Hello", "", p::MessageKind::assistant, p::MessageStatus::streaming),
          "ann");
  EXPECT_EQ(t.find_seq(1)->text, "Hello wor");
}

TEST(RoomTranscript, CompletionWithoutStartCreatesTheReply) {
  RoomTranscript t;
  t.stream_completed(p::StreamCompleted{"lobby", "g7", 8, 7, "done", p::MessageStatus::complete, ""});
  ASSERT_NE(t.find_seq(7), nullptr);
  EXPECT_EQ(t.find_seq(7)->text, "done");
  EXPECT_EQ(t.find_seq(7)->kind, p::MessageKind::assistant);
  EXPECT_EQ(t.find_seq(8), nullptr) << "the end event is not an entry of its own";
}

TEST(RoomTranscript, EndEventInHistoryFinishesItsReply) {
  RoomTranscript t;
  t.merge(chat(4, "Parley", "Hal", "", p::MessageKind::assistant, p::MessageStatus::streaming),
          "ann");
  p::ChatMessage end = chat(5, "Parley", "Half of it", "", p::MessageKind::end,
                            p::MessageStatus::interrupted);
  end.ref = 4;
  end.gen_id = "g4";
  t.merge(end, "ann");
  ASSERT_EQ(t.size(), 1u);
  EXPECT_EQ(t.find_seq(4)->text, "Half of it");
  EXPECT_EQ(t.find_seq(4)->status, p::MessageStatus::interrupted);
  t.merge(end, "ann");  // a repeat changes nothing
  EXPECT_EQ(t.size(), 1u);
  EXPECT_TRUE(t.has_stored());
}

TEST(RoomTranscript, ClearStoredKeepsPending) {
  RoomTranscript t;
  t.merge(chat(1, "bob", "x"), "ann");
  t.add_pending(pending("c1", "mine"));
  t.clear_stored();
  EXPECT_EQ(seqs(t), (std::vector<std::uint64_t>{0}));
}

}  // namespace
}  // namespace parley::client

namespace parley::client {
namespace {

p::ChatMessage step_of(std::uint64_t seq, std::uint64_t reply, std::string text, std::string data) {
  p::ChatMessage m = testing::chat(seq, "Parley", std::move(text), "", p::MessageKind::step);
  m.ref = reply;
  m.data = std::move(data);
  return m;
}

TEST(RoomTranscriptSteps, StepsShowWithTheirReplyLiveThenFolded) {
  RoomTranscript t;
  t.stream_started(p::StreamStarted{"lobby", "g2", 2, 1, "Parley", 0});
  t.merge(step_of(3, 2, "To answer ann I will work out 2+2.", R"j({"step":"thinking","text":"x"})j"), "ann");
  t.merge(step_of(4, 2, "calculator: 2+2 = 4", R"j({"name":"calculator","step":"tool"})j"), "ann");
  t.merge(step_of(4, 2, "calculator: 2+2 = 4", R"j({"name":"calculator","step":"tool"})j"), "ann");
  t.merge(step_of(5, 2, "responding", R"j({"status":"responding","step":"status"})j"), "ann");
  t.stream_delta(p::StreamDelta{"lobby", "g2", 0, "2+2 = 4."});
  ASSERT_EQ(t.size(), 1u) << "steps are not entries of their own";
  const Entry& reply = t.entries()[0];
  ASSERT_EQ(reply.steps.size(), 3u) << "a repeated step is kept once";
  EXPECT_EQ(shown_text(reply),
            "· thinking: To answer ann I will work out 2+2.\n· calculator: 2+2 = 4\n2+2 = 4.");
  t.stream_completed(p::StreamCompleted{"lobby", "g2", 6, 2, "2+2 = 4.", p::MessageStatus::complete, ""});
  EXPECT_EQ(shown_text(t.entries()[0]), "\u25B8 2 steps: thinking, calculator\n2+2 = 4.");

  // A step of a reply that is not held is left out.
  t.merge(step_of(9, 8, "orphan", "{}"), "ann");
  EXPECT_EQ(t.size(), 1u);
}

TEST(RoomTranscriptSteps, OlderPagesBringTheirStepsAlong) {
  RoomTranscript t;
  t.merge(testing::chat(10, "bob", "newest"), "ann");
  auto reply = testing::chat(2, "Parley", "4", "", p::MessageKind::assistant);
  t.merge_older({testing::chat(1, "ann", "2+2?"), reply,
                 step_of(3, 2, "calculator: 2+2 = 4", R"j({"name":"calculator"})j")},
                "ann");
  ASSERT_EQ(t.size(), 3u);
  ASSERT_EQ(t.entries()[1].steps.size(), 1u);
  EXPECT_EQ(t.entries()[1].steps[0].label, "calculator");
}

}  // namespace
}  // namespace parley::client
