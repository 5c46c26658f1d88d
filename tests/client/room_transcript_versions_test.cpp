// Versions in the transcript: regenerated replies and edited messages show one at a time.
#include <gtest/gtest.h>

#include "parley/room_transcript.hpp"
#include "session_harness.hpp"

namespace parley::client {
namespace {

using testing::chat;
namespace p = parley::protocol;

p::ChatMessage reply(std::uint64_t seq, std::uint64_t to, std::string text) {
  auto m = chat(seq, "Parley", std::move(text));
  m.kind = p::MessageKind::assistant;
  m.ref = to;
  m.gen_id = std::string(1, 'g');
  m.gen_id += std::to_string(seq);
  return m;
}

p::ChatMessage edit(std::uint64_t seq, std::uint64_t root, std::string text) {
  auto m = chat(seq, "ann", std::move(text));
  m.ref = root;
  return m;
}

Entry pending_edit(std::string client_id, std::string text, std::uint64_t from) {
  Entry e;
  e.author = std::string("ann");
  e.text = std::move(text);
  e.client_id = std::move(client_id);
  e.delivery = Delivery::sending;
  e.ref = from;
  return e;
}

// The seqs a view shows, in order.
std::vector<std::uint64_t> shown(const RoomTranscript& t) {
  std::vector<std::uint64_t> out;
  for (const Entry& e : t.entries())
    if (!e.hidden) out.push_back(e.seq);
  return out;
}

TEST(RoomTranscriptVersions, ARegeneratedReplyReplacesTheEarlierOneOnScreen) {
  RoomTranscript t;
  t.merge(chat(1, "ann", "question"), "ann");
  t.merge(reply(2, 1, "first answer"), "ann");
  EXPECT_EQ(t.find_seq(2)->versions, 0u) << "a single reply shows no switcher";
  t.merge(chat(3, "bob", "meanwhile"), "ann");
  t.stream_started(p::StreamStarted{"lobby", "g4", 4, 1, "Parley", 0});
  EXPECT_EQ(shown(t), (std::vector<std::uint64_t>{1, 3, 4}));
  EXPECT_EQ(t.find_seq(4)->version, 2u);
  EXPECT_EQ(t.find_seq(4)->versions, 2u);
  EXPECT_EQ(t.find_seq(2)->version, 1u);

  t.show_version(4, -1);
  EXPECT_EQ(shown(t), (std::vector<std::uint64_t>{1, 2, 3}));
  t.show_version(2, -1);  // already the first: stays
  EXPECT_EQ(shown(t), (std::vector<std::uint64_t>{1, 2, 3}));
  t.show_version(2, +1);
  EXPECT_EQ(shown(t), (std::vector<std::uint64_t>{1, 3, 4}));
}

TEST(RoomTranscriptVersions, AChoiceSurvivesTheSameEventsArrivingAgain) {
  RoomTranscript t;
  t.merge(chat(1, "ann", "q"), "ann");
  t.merge(reply(2, 1, "a"), "ann");
  t.merge(reply(3, 1, "b"), "ann");
  t.show_version(3, -1);
  // A resume replays what is held: the user's pick stays.
  t.merge_all({chat(1, "ann", "q"), reply(2, 1, "a"), reply(3, 1, "b")}, "ann");
  EXPECT_EQ(shown(t), (std::vector<std::uint64_t>{1, 2}));
  // A new version is shown at once.
  t.merge(reply(4, 1, "c"), "ann");
  EXPECT_EQ(shown(t), (std::vector<std::uint64_t>{1, 4}));
  EXPECT_EQ(t.find_seq(4)->versions, 3u);
}

TEST(RoomTranscriptVersions, AnEditHidesTheEarlierVersionAndItsReplies) {
  RoomTranscript t;
  t.merge(chat(1, "ann", "what is 2+2"), "ann");
  t.merge(reply(2, 1, "4"), "ann");
  t.merge(edit(3, 1, "what is 3+3"), "ann");
  t.merge(reply(4, 3, "6"), "ann");
  EXPECT_EQ(shown(t), (std::vector<std::uint64_t>{3, 4}));
  EXPECT_EQ(t.find_seq(3)->version, 2u);
  EXPECT_EQ(t.find_seq(1)->versions, 2u);
  t.show_version(3, -1);
  EXPECT_EQ(shown(t), (std::vector<std::uint64_t>{1, 2}));
  // An edit of an edit belongs to the same message (the server names the first version).
  t.merge(edit(5, 1, "what is 4+4"), "ann");
  EXPECT_EQ(shown(t), (std::vector<std::uint64_t>{5}));
  EXPECT_EQ(t.find_seq(5)->versions, 3u);
}

TEST(RoomTranscriptVersions, OwnPendingEditIsFiledWhenAcknowledged) {
  RoomTranscript t;
  t.merge(chat(1, "ann", "v1"), "ann");
  t.merge(edit(2, 1, "v2"), "ann");
  t.add_pending(pending_edit("c9", "v3", 2));  // edited from the second version
  EXPECT_EQ(shown(t), (std::vector<std::uint64_t>{2, 0})) << "the pending edit shows as sending";
  t.acknowledge("c9", 3);
  EXPECT_EQ(shown(t), (std::vector<std::uint64_t>{3}));
  EXPECT_EQ(t.find_seq(3)->ref, 1u);
  EXPECT_EQ(t.find_seq(3)->versions, 3u);
}

TEST(RoomTranscriptVersions, OlderPagesFileTheirVersions) {
  RoomTranscript t;
  t.merge_all({reply(5, 1, "second try")}, "ann");
  EXPECT_EQ(t.find_seq(5)->versions, 0u);
  t.merge_older({chat(1, "ann", "q"), reply(2, 1, "first try"), chat(3, "bob", "x")}, "ann");
  EXPECT_EQ(shown(t), (std::vector<std::uint64_t>{1, 3, 5}));
  EXPECT_EQ(t.find_seq(5)->versions, 2u);
}

}  // namespace
}  // namespace parley::client
