// The session across dropped connections: backoff, rejoin, history merge and resending.
#include <gtest/gtest.h>

#include "parley/client_session.hpp"
#include "session_harness.hpp"

namespace parley::client {
namespace {

using testing::chat;
using testing::Harness;
namespace p = parley::protocol;

TEST(ClientSessionReconnect, DropDuringSendResendsSameClientIdAndShowsOneEntry) {
  Harness h;
  h.sign_in_and_join("ann", {chat(1, "bob", "hi")});
  ASSERT_TRUE(static_cast<bool>(h.session.send("are you there?", h.now)));
  h.pump();
  ASSERT_EQ(h.written_of<p::Send>().size(), 1u);

  h.drop_and_wait();  // no ack came
  EXPECT_EQ(h.session.transcript().find_client_id("c1")->delivery, Delivery::sending);
  h.open_and_join({chat(1, "bob", "hi")});

  const auto sends = h.written_of<p::Send>();
  ASSERT_EQ(sends.size(), 2u);
  EXPECT_EQ(sends[1], sends[0]);  // same client_id, same text
  // The server had stored the first attempt: it acknowledges it as a duplicate.
  h.feed(p::Ack{"lobby", "c1", 2, true});
  h.feed(p::Posted{chat(2, "ann", "are you there?", "c1")});
  EXPECT_EQ(h.seqs(), (std::vector<std::uint64_t>{1, 2}));
  EXPECT_EQ(h.session.transcript().find_seq(2)->delivery, Delivery::sent);
  EXPECT_EQ(h.ids, 1);  // no new id was made for the retry
}

TEST(ClientSessionReconnect, MessageFoundInHistoryAfterDropIsNotResent) {
  Harness h;
  h.sign_in_and_join();
  h.session.send("stored before the drop", h.now);
  h.pump();
  h.drop_and_wait();
  h.open_and_join({chat(1, "ann", "stored before the drop", "c1")});
  EXPECT_EQ(h.written_of<p::Send>().size(), 1u);
  EXPECT_EQ(h.seqs(), (std::vector<std::uint64_t>{1}));
  EXPECT_EQ(h.session.transcript().entries()[0].delivery, Delivery::sent);
}

TEST(ClientSessionReconnect, MessagesWrittenWhileOfflineAreSentAfterJoining) {
  Harness h;
  h.sign_in_and_join();
  h.session.on_disconnected(h.now, "reset");
  h.session.send("first", h.now);
  h.session.send("second", h.now);
  h.pump();
  EXPECT_TRUE(h.written_of<p::Send>().empty());
  h.now += h.session.reconnect_in_ms(h.now);
  h.open_and_join();
  const auto sends = h.written_of<p::Send>();
  ASSERT_EQ(sends.size(), 2u);
  EXPECT_EQ(sends[0].client_id, "c1");
  EXPECT_EQ(sends[0].text, "first");
  EXPECT_EQ(sends[1].client_id, "c2");
}

TEST(ClientSessionReconnect, DropMidStreamThenRejoinWithCompletedReply) {
  Harness h;
  h.sign_in_and_join("ann", {chat(1, "ann", "question", "c0")});
  h.feed(p::StreamStarted{"lobby", "g2", 2, 1, "Parley", 0});
  h.feed(p::StreamDelta{"lobby", "g2", 0, "The ans"});
  h.drop_and_wait();
  EXPECT_EQ(h.session.transcript().find_seq(2)->status, p::MessageStatus::streaming);

  p::ChatMessage done = chat(2, "Parley", "The answer is 42.", "", p::MessageKind::assistant);
  done.gen_id = "g2";
  h.open_and_join({chat(1, "ann", "question", "c0"), done});
  EXPECT_EQ(h.seqs(), (std::vector<std::uint64_t>{1, 2}));
  const Entry* reply = h.session.transcript().find_seq(2);
  EXPECT_EQ(reply->text, "The answer is 42.");
  EXPECT_EQ(reply->status, p::MessageStatus::complete);
}

TEST(ClientSessionReconnect, RejoinWhileStillStreamingContinuesWithDeltas) {
  Harness h;
  h.sign_in_and_join();
  h.feed(p::StreamStarted{"lobby", "g1", 1, 0, "Parley", 0});
  h.feed(p::StreamDelta{"lobby", "g1", 0, "ab"});
  h.drop_and_wait();
  p::ChatMessage partial =
      chat(1, "Parley", "abcd", "", p::MessageKind::assistant, p::MessageStatus::streaming);
  partial.gen_id = "g1";
  h.open_and_join({partial});
  h.feed(p::StreamDelta{"lobby", "g1", 2, "cdef"});
  EXPECT_EQ(h.session.transcript().find_seq(1)->text, "abcdef");
}

TEST(ClientSessionReconnect, GapIsRepairedByTheNextJoin) {
  Harness h;
  h.sign_in_and_join();
  h.feed(p::StreamStarted{"lobby", "g1", 1, 0, "Parley", 0});
  h.feed(p::StreamDelta{"lobby", "g1", 5, "late"});
  EXPECT_TRUE(h.session.transcript().find_seq(1)->needs_refresh);
  h.drop_and_wait();
  p::ChatMessage full = chat(1, "Parley", "full text", "", p::MessageKind::assistant);
  full.gen_id = "g1";
  h.open_and_join({full});
  EXPECT_FALSE(h.session.transcript().find_seq(1)->needs_refresh);
  EXPECT_EQ(h.session.transcript().find_seq(1)->text, "full text");
}

TEST(ClientSessionReconnect, NewEpochReplacesTheTranscript) {
  Harness h;
  h.sign_in_and_join("ann", {chat(1, "bob", "old"), chat(2, "bob", "older")});
  h.drop_and_wait();
  h.open_and_join({chat(1, "eve", "new world")}, 15000, "e2");
  ASSERT_EQ(h.seqs(), (std::vector<std::uint64_t>{1}));
  EXPECT_EQ(h.session.transcript().entries()[0].text, "new world");
}

TEST(ClientSessionReconnect, BackoffGrowsWhileAttemptsFailAndStaysInBounds) {
  Harness h;
  h.random = 0.999;
  h.sign_in_and_join();
  std::vector<std::int64_t> waits;
  h.session.on_disconnected(h.now, "reset");
  for (int i = 0; i < 10; ++i) {
    const std::int64_t wait = h.session.reconnect_in_ms(h.now);
    waits.push_back(wait);
    EXPECT_EQ(h.session.connection(), ConnectionState::reconnecting);
    EXPECT_FALSE(h.session.take_connect_request(h.now + wait - 1));
    h.now += wait;
    ASSERT_TRUE(h.session.take_connect_request(h.now));
    h.session.on_disconnected(h.now, "refused");
  }
  for (std::size_t i = 0; i < waits.size(); ++i) {
    EXPECT_GE(waits[i], 0);
    EXPECT_LE(waits[i], 20000);
    if (i > 0 && waits[i - 1] < 19000) {
      EXPECT_GT(waits[i], waits[i - 1]);
    }
  }
  EXPECT_GE(waits.back(), 19000);
}

TEST(ClientSessionReconnect, ConnectionThatStayedUpResetsBackoff) {
  Harness h;
  h.random = 0.999;
  h.sign_in_and_join();
  for (int i = 0; i < 6; ++i) {  // several failures push the delay up
    h.drop_and_wait();
    ASSERT_TRUE(h.session.take_connect_request(h.now));
    h.session.on_disconnected(h.now, "refused");
  }
  EXPECT_GT(h.session.reconnect_in_ms(h.now), 10000);
  h.now += h.session.reconnect_in_ms(h.now);
  h.open_and_join();
  h.now += 30000;  // stays up (the server keeps answering)
  h.feed(p::Pong{1});
  h.session.on_disconnected(h.now, "reset");
  EXPECT_LE(h.session.reconnect_in_ms(h.now), 500);
}

TEST(ClientSessionReconnect, ShortLivedConnectionDoesNotResetBackoff) {
  Harness h;
  h.random = 0.999;
  h.sign_in_and_join();
  for (int i = 0; i < 5; ++i) {
    h.drop_and_wait();
    ASSERT_TRUE(h.session.take_connect_request(h.now));
    h.session.on_disconnected(h.now, "refused");
  }
  h.now += h.session.reconnect_in_ms(h.now);
  h.open_and_join();
  h.session.on_disconnected(h.now + 100, "reset");
  EXPECT_GT(h.session.reconnect_in_ms(h.now + 100), 10000);
}

TEST(ClientSessionReconnect, RetryNowSkipsTheWait) {
  Harness h;
  h.random = 0.999;
  h.sign_in_and_join();
  h.session.on_disconnected(h.now, "reset");
  EXPECT_FALSE(h.session.take_connect_request(h.now));
  h.session.retry_now();
  EXPECT_EQ(h.session.reconnect_in_ms(h.now), 0);
  EXPECT_TRUE(h.session.take_connect_request(h.now));
}

TEST(ClientSessionReconnect, EachReconnectSaysHelloAndJoinsAgain) {
  Harness h;
  h.sign_in_and_join();
  for (int i = 0; i < 3; ++i) {
    h.drop_and_wait();
    h.open_and_join();
  }
  EXPECT_EQ(h.written_of<p::Hello>().size(), 4u);
  EXPECT_EQ(h.written_of<p::Join>().size(), 4u);
}

}  // namespace
}  // namespace parley::client
