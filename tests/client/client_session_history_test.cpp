// Scroll-back: the session asks for older history before the oldest event it holds,
// puts each page in front, and never asks twice at once or for a stale position.
#include <gtest/gtest.h>

#include "parley/client_session.hpp"
#include "session_harness.hpp"

namespace parley::client {
namespace {

using testing::chat;
using testing::Harness;
namespace p = parley::protocol;

std::vector<p::ChatMessage> range(std::uint64_t from, std::uint64_t to) {
  std::vector<p::ChatMessage> out;
  for (std::uint64_t s = from; s <= to; ++s) {
    std::string text = "m";  // appended: "lit" + to_string trips GCC 12's -Wrestrict
    text += std::to_string(s);
    out.push_back(chat(s, "bob", text));
  }
  return out;
}

TEST(ClientSessionHistory, PagesOfOlderHistoryGoInFrontUntilTheFirstMessage) {
  Harness h;
  h.sign_in_and_join("ann", range(251, 300));
  EXPECT_EQ(h.session.floor(), 251u);
  ASSERT_TRUE(h.session.has_older());
  h.written.clear();

  h.session.load_older();
  h.session.load_older();  // one page at a time
  h.pump();
  ASSERT_EQ(h.written_of<p::FetchHistory>().size(), 1u);
  EXPECT_EQ(h.written_of<p::FetchHistory>()[0], (p::FetchHistory{"lobby", 251, 100}));
  EXPECT_TRUE(h.session.loading_older());

  h.feed(p::HistoryPage{"lobby", "e1", 251, range(151, 250), true});
  EXPECT_FALSE(h.session.loading_older());
  EXPECT_EQ(h.session.floor(), 151u);
  EXPECT_EQ(h.session.transcript().size(), 150u);
  EXPECT_EQ(h.seqs().front(), 151u);

  h.session.load_older();
  h.pump();
  EXPECT_EQ(h.written_of<p::FetchHistory>().back().before_seq, 151u);
  h.feed(p::HistoryPage{"lobby", "e1", 151, range(1, 150), false});
  EXPECT_FALSE(h.session.has_older());
  ASSERT_EQ(h.session.transcript().size(), 300u);
  for (std::uint64_t i = 0; i < 300; ++i) ASSERT_EQ(h.seqs()[i], i + 1);

  // Nothing older: no more requests.
  h.session.load_older();
  h.pump();
  EXPECT_EQ(h.written_of<p::FetchHistory>().size(), 2u);
  // Live messages still arrive at the end.
  h.feed(p::Posted{chat(301, "bob", "new")});
  EXPECT_EQ(h.seqs().back(), 301u);
}

TEST(ClientSessionHistory, StalePagesAreDroppedAndADropAllowsAskingAgain) {
  Harness h;
  h.sign_in_and_join("ann", range(91, 100));
  h.session.load_older(20);
  h.pump();
  // A page for another epoch (the room was reset meanwhile) is not put in front.
  h.feed(p::HistoryPage{"lobby", "other-epoch", 91, range(71, 90), true});
  EXPECT_EQ(h.session.transcript().size(), 10u);

  // The connection drops with the request unanswered: once live again it asks anew.
  h.drop_and_wait();
  ASSERT_TRUE(h.session.take_connect_request(h.now));
  h.session.on_connected(h.now);
  h.pump();
  h.feed(p::Welcome{"ann", "parley/test", 15000, 65536, 8000});
  h.feed(p::Joined{"lobby", "e1", 100, {}, p::Resume::ok, false});
  EXPECT_FALSE(h.session.loading_older());
  EXPECT_EQ(h.session.floor(), 91u) << "a resume keeps what was held";
  h.written.clear();
  h.session.load_older(20);
  h.pump();
  ASSERT_EQ(h.written_of<p::FetchHistory>().size(), 1u);
  // The answer to the earlier request arriving late is for the same position: used once.
  h.feed(p::HistoryPage{"lobby", "e1", 91, range(71, 90), true});
  h.feed(p::HistoryPage{"lobby", "e1", 91, range(71, 90), true});
  EXPECT_EQ(h.session.transcript().size(), 30u);
  EXPECT_EQ(h.session.floor(), 71u);
}

TEST(ClientSessionHistory, ARefusedRequestCanBeRetriedAndAnEmptyRoomHasNothingOlder) {
  Harness h;
  h.sign_in_and_join("ann", range(41, 50));
  h.session.load_older();
  h.pump();
  h.feed(p::Error{"internal", "could not read the room's history", "lobby", 0});
  EXPECT_FALSE(h.session.loading_older());

  Harness empty;
  empty.sign_in_and_join("ann", {});
  EXPECT_FALSE(empty.session.has_older());
}

}  // namespace
}  // namespace parley::client
