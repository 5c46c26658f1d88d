// The incremental transcript layout: rows match a layout built from scratch after any
// sequence of changes, and an update redoes only the entries that changed.
#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

#include "parley/client_model/transcript_layout.hpp"
#include "session_harness.hpp"

namespace parley::client {
namespace {

using testing::chat;
namespace p = parley::protocol;

// A fixed-width font: `width` characters per line, broken after a space where possible.
const char* mono_break(const char* begin, const char* end, float width) {
  const auto fit = static_cast<std::ptrdiff_t>(width);
  if (end - begin <= fit) return end;
  const char* cut = begin + fit;
  for (const char* s = cut; s > begin; --s) {
    if (s[-1] == ' ') return s;
  }
  return cut;
}
const LineBreaker kMono = mono_break;

std::vector<TranscriptRow> all_rows(const TranscriptLayout& l) {
  std::vector<TranscriptRow> rows;
  for (std::size_t i = 0; i < l.row_count(); ++i) rows.push_back(l.row(i));
  return rows;
}

bool same_rows(const std::vector<TranscriptRow>& a, const std::vector<TranscriptRow>& b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (a[i].entry != b[i].entry || a[i].kind != b[i].kind || a[i].begin != b[i].begin ||
        a[i].end != b[i].end || a[i].first_line != b[i].first_line ||
        a[i].last_line != b[i].last_line)
      return false;
  }
  return true;
}

std::vector<TranscriptRow> fresh_rows(const RoomTranscript& t, float width) {
  TranscriptLayout fresh;
  fresh.update(t, width, 1, kMono);
  return all_rows(fresh);
}

TEST(TranscriptLayout, CutsEachEntryIntoHeaderLinesAndGap) {
  RoomTranscript t;
  t.merge(chat(1, "bob", "one two three four"), "ann");  // 10 wide: "one two " / "three four"
  t.merge(chat(2, "bob", "a\n\nb"), "ann");
  TranscriptLayout l;
  ASSERT_TRUE(l.update(t, 10, 1, kMono));
  const auto rows = all_rows(l);
  ASSERT_EQ(rows.size(), 4u + 5u);
  EXPECT_EQ(rows[0].kind, TranscriptRow::Kind::header);
  EXPECT_EQ(rows[1].kind, TranscriptRow::Kind::line);
  EXPECT_TRUE(rows[1].first_line);
  EXPECT_EQ(std::string("one two three four").substr(rows[1].begin, rows[1].end - rows[1].begin),
            "one two ");
  EXPECT_EQ(rows[2].begin, 8u);
  EXPECT_TRUE(rows[2].last_line);
  EXPECT_EQ(rows[3].kind, TranscriptRow::Kind::gap);
  // An empty paragraph keeps its line.
  EXPECT_EQ(rows[4].entry, 1u);
  EXPECT_EQ(rows[6].begin, rows[6].end);
  EXPECT_EQ(l.first_row(1), 4u);
  EXPECT_FALSE(l.update(t, 10, 1, kMono)) << "nothing changed";
}

TEST(TranscriptLayout, AStreamingReplyRewrapsOnlyItself) {
  RoomTranscript t;
  for (std::uint64_t s = 1; s <= 1000; ++s) t.merge(chat(s, "bob", "message " + std::to_string(s)), "ann");
  t.stream_started(p::StreamStarted{"lobby", "g", 1001, 1000, "Parley", 0});
  TranscriptLayout l;
  l.update(t, 12, 1, kMono);
  EXPECT_EQ(l.entries_wrapped(), 1001u);
  std::string text;
  for (int i = 0; i < 20; ++i) {
    const std::string piece = "word" + std::to_string(i) + " ";
    t.stream_delta(p::StreamDelta{"lobby", "g", text.size(), piece});
    text += piece;
    ASSERT_TRUE(l.update(t, 12, 1, kMono));
    EXPECT_EQ(l.entries_wrapped(), 1u);
  }
  EXPECT_TRUE(same_rows(all_rows(l), fresh_rows(t, 12)));
}

TEST(TranscriptLayout, OlderHistoryGoesInFrontWithoutRewrappingTheRest) {
  RoomTranscript t;
  for (std::uint64_t s = 501; s <= 600; ++s) t.merge(chat(s, "bob", "newer " + std::to_string(s)), "ann");
  TranscriptLayout l;
  l.update(t, 8, 1, kMono);
  const std::size_t rows_before = l.row_count();

  std::vector<p::ChatMessage> page;
  for (std::uint64_t s = 401; s <= 500; ++s) page.push_back(chat(s, "bob", "older " + std::to_string(s)));
  t.merge_older(page, "ann");
  ASSERT_TRUE(l.update(t, 8, 1, kMono));
  EXPECT_EQ(l.entries_wrapped(), 100u);
  EXPECT_EQ(l.rows_prepended(), l.row_count() - rows_before);
  EXPECT_EQ(l.first_row(100), l.rows_prepended()) << "seq 501 moved down by the new rows";
  EXPECT_TRUE(same_rows(all_rows(l), fresh_rows(t, 8)));
}

TEST(TranscriptLayout, AnotherWidthOrFontRewrapsEverything) {
  RoomTranscript t;
  for (std::uint64_t s = 1; s <= 10; ++s) t.merge(chat(s, "bob", "some words to wrap here"), "ann");
  TranscriptLayout l;
  l.update(t, 30, 1, kMono);
  ASSERT_TRUE(l.update(t, 10, 1, kMono));
  EXPECT_EQ(l.entries_wrapped(), 10u);
  EXPECT_TRUE(same_rows(all_rows(l), fresh_rows(t, 10)));
  ASSERT_TRUE(l.update(t, 10, 2, kMono));
  EXPECT_EQ(l.entries_wrapped(), 10u);
}

// Any mix of what can happen to a transcript leaves the incremental layout equal to
// one made from scratch — including more changes between two updates than the change
// log holds.
TEST(TranscriptLayout, MatchesAFreshLayoutAfterRandomChanges) {
  std::mt19937 rng(20261202);
  for (int run = 0; run < 20; ++run) {
    RoomTranscript t;
    TranscriptLayout l;
    std::uint64_t floor = 5001, head = 5000, pending = 0;
    std::string stream_text;
    std::uint64_t stream_seq = 0;
    auto words = [&](int n) {
      std::string s;
      for (int i = 0; i < n; ++i) s += std::string(1 + rng() % 9, static_cast<char>('a' + rng() % 26)) + (rng() % 7 == 0 ? "\n" : " ");
      return s;
    };
    for (int step = 0; step < 300; ++step) {
      const unsigned op = rng() % 8;
      if (op == 0) {  // a page of older history
        std::vector<p::ChatMessage> page;
        const std::uint64_t n = 1 + rng() % 40;
        for (std::uint64_t s = floor - n; s < floor; ++s) page.push_back(chat(s, "bob", words(1 + rng() % 12)));
        floor -= n;
        t.merge_older(page, "ann");
      } else if (op == 1) {  // an own message, then its ack
        p::ChatMessage m = chat(0, "ann", words(3));
        Entry e;
        e.author = "ann";
        e.text = m.text;
        e.client_id = "p" + std::to_string(++pending);
        e.delivery = Delivery::sending;
        t.add_pending(e);
        if (rng() % 2) {
          t.acknowledge(e.client_id, ++head);
        }
      } else if (op == 2 && stream_seq == 0) {
        stream_seq = ++head;
        stream_text.clear();
        t.stream_started(p::StreamStarted{"lobby", "g" + std::to_string(stream_seq), stream_seq, 0, "Parley", 0});
      } else if (op == 3 && stream_seq != 0) {
        const std::string piece = words(1 + rng() % 3);
        t.stream_delta(p::StreamDelta{"lobby", "g" + std::to_string(stream_seq), stream_text.size(), piece});
        stream_text += piece;
      } else if (op == 4 && stream_seq != 0) {
        t.stream_completed(p::StreamCompleted{"lobby", "g" + std::to_string(stream_seq), ++head, stream_seq, stream_text, p::MessageStatus::complete, ""});
        stream_seq = 0;
      } else if (op == 5) {
        t.merge(chat(++head, "bob", words(1 + rng() % 20)), "ann");
      } else if (op == 6 && rng() % 10 == 0) {
        t.clear_stored();
        floor = head + 1;
        stream_seq = 0;
      }
      // Update after most steps; sometimes let hundreds of changes pile up.
      if (rng() % 3 != 0 || step == 299) {
        const float width = rng() % 50 == 0 ? 14.0f : 11.0f;
        l.update(t, width, 1, kMono);
        ASSERT_TRUE(same_rows(all_rows(l), fresh_rows(t, width))) << "run " << run << " step " << step;
      }
    }
  }
}

TEST(TranscriptChangeLog, AViewTooFarBehindStartsOverOtherwiseItRedoesFromTheLowestChange) {
  RoomTranscript t;
  std::vector<p::ChatMessage> batch;
  for (std::uint64_t s = 1; s <= 2000; ++s) batch.push_back(chat(s, "bob", "x"));
  t.merge_all(batch, "ann");
  ChangeCursor cursor;
  EXPECT_TRUE(t.changes_since(cursor).reset) << "a view that saw nothing";
  EXPECT_EQ(t.changes_since(cursor).first_changed, 2000u) << "nothing since";

  // A change near the start, then changes at the end: redo from the start's change.
  t.stream_completed(p::StreamCompleted{"lobby", "", 0, 3, "changed", p::MessageStatus::complete, ""});
  for (std::uint64_t s = 2001; s <= 2010; ++s) t.merge(chat(s, "bob", "x"), "ann");
  TranscriptChanges c = t.changes_since(cursor);
  EXPECT_FALSE(c.reset);
  EXPECT_EQ(c.first_changed, 2u) << "seq 3 is at index 2";
  // Seen: the next look redoes only the end.
  t.merge(chat(2011, "bob", "x"), "ann");
  EXPECT_EQ(t.changes_since(cursor).first_changed, 2010u);

  // More separate changes than the log keeps: the view starts over rather than miss one.
  for (std::size_t i = 0; i <= TranscriptChangeLog::kCapacity; ++i)
    t.merge(chat(2012 + i, "bob", "x"), "ann");
  EXPECT_TRUE(t.changes_since(cursor).reset);
  t.merge_older({chat(0, "x", "no seq")}, "ann");
  EXPECT_EQ(t.changes_since(cursor).prepended, 0u);
}

TEST(RoomTranscriptOlder, APageKeepsItsEndEventsAndSkipsWhatIsHeld) {
  RoomTranscript t;
  t.merge(chat(10, "bob", "newest"), "ann");
  ChangeCursor cursor;
  t.changes_since(cursor);
  auto reply = chat(6, "Parley", "partial", "", p::MessageKind::assistant, p::MessageStatus::streaming);
  p::ChatMessage end = chat(8, "Parley", "whole reply", "", p::MessageKind::end, p::MessageStatus::complete);
  end.ref = 6;
  p::ChatMessage orphan_end = chat(5, "Parley", "", "", p::MessageKind::end, p::MessageStatus::complete);
  orphan_end.ref = 2;  // its reply is in an older page, not held
  t.merge_older({orphan_end, reply, chat(7, "ann", "mine", "c1"), end, chat(9, "bob", "nine")}, "ann");
  ASSERT_EQ(t.size(), 4u);
  EXPECT_EQ(t.entries()[0].seq, 6u);
  EXPECT_EQ(t.entries()[0].text, "whole reply");
  EXPECT_EQ(t.entries()[0].status, p::MessageStatus::complete);
  EXPECT_EQ(t.entries()[1].delivery, Delivery::sent);
  const TranscriptChanges c = t.changes_since(cursor);
  EXPECT_EQ(c.prepended, 3u);
  EXPECT_EQ(c.first_changed, 4u) << "what was held did not change";
  // The same page again changes nothing it should not.
  t.merge_older({chat(9, "bob", "nine")}, "ann");
  EXPECT_EQ(t.size(), 4u);
}

}  // namespace
}  // namespace parley::client

namespace parley::client {
namespace {

// Another version shown: the hidden one has no rows, and switching back brings them.
TEST(TranscriptLayoutVersions, HiddenVersionsHaveNoRows) {
  RoomTranscript t;
  t.merge(testing::chat(1, "ann", "question"), "ann");
  auto first = testing::chat(2, "Parley", "first answer");
  first.kind = protocol::MessageKind::assistant;
  first.ref = 1;
  t.merge(first, "ann");
  TranscriptLayout l;
  l.update(t, 40, 1, kMono);
  EXPECT_EQ(l.row_count(), 6u);
  auto second = first;
  second.seq = 3;
  second.text = "second answer";
  t.merge(second, "ann");
  l.update(t, 40, 1, kMono);
  EXPECT_EQ(l.row_count(), 6u) << "one answer shows at a time";
  EXPECT_TRUE(same_rows(all_rows(l), fresh_rows(t, 40)));
  EXPECT_EQ(l.row(3).entry, 2u) << "the rows after the question are the second answer's";
  t.show_version(3, -1);
  l.update(t, 40, 1, kMono);
  EXPECT_EQ(l.row(3).entry, 1u);
  EXPECT_TRUE(same_rows(all_rows(l), fresh_rows(t, 40)));
}

}  // namespace
}  // namespace parley::client
