// The session on one healthy connection: handshake, sending, broadcasts and streams.
#include "parley/client_session.hpp"

#include <gtest/gtest.h>

#include "parley/error_codes.hpp"
#include "session_harness.hpp"

namespace parley::client {
namespace {

using testing::chat;
using testing::Harness;
namespace p = parley::protocol;

TEST(ClientSession, StartsDisconnectedAndConnectsAfterSignIn) {
  Harness h;
  EXPECT_EQ(h.session.connection(), ConnectionState::disconnected);
  EXPECT_FALSE(h.session.take_connect_request(h.now));
  ASSERT_TRUE(static_cast<bool>(h.session.start("ann")));
  EXPECT_EQ(h.session.connection(), ConnectionState::connecting);
  EXPECT_TRUE(h.session.take_connect_request(h.now));
  EXPECT_FALSE(h.session.take_connect_request(h.now));  // only once per attempt
}

TEST(ClientSession, HappyPath) {
  Harness h;
  ASSERT_TRUE(static_cast<bool>(h.session.start("ann")));
  ASSERT_TRUE(h.session.take_connect_request(h.now));
  h.session.on_connected(h.now);
  h.pump();
  ASSERT_EQ(h.written_of<p::Hello>().size(), 1u);
  EXPECT_EQ(h.written_of<p::Hello>()[0].name, "ann");

  h.feed(p::Welcome{"ann", "parley/test", 15000, 65536, 8000});
  ASSERT_EQ(h.written_of<p::Join>().size(), 1u);
  EXPECT_EQ(h.written_of<p::Join>()[0], (p::Join{"lobby", 50, "", std::nullopt}));
  EXPECT_EQ(h.session.connection(), ConnectionState::connecting);

  h.feed(p::Joined{"lobby", "e1", 2, {chat(1, "bob", "hi"), chat(2, "bob", "anyone?")},
                   p::Resume::none, false});
  EXPECT_EQ(h.session.connection(), ConnectionState::connected);
  EXPECT_EQ(h.seqs(), (std::vector<std::uint64_t>{1, 2}));

  ASSERT_TRUE(static_cast<bool>(h.session.send("héllo Привет", h.now)));
  h.pump();
  const auto sends = h.written_of<p::Send>();
  ASSERT_EQ(sends.size(), 1u);
  EXPECT_EQ(sends[0], (p::Send{"lobby", "c1", "héllo Привет"}));
  const Entry* mine = h.session.transcript().find_client_id("c1");
  ASSERT_NE(mine, nullptr);
  EXPECT_EQ(mine->delivery, Delivery::sending);
  EXPECT_EQ(mine->seq, 0u);

  h.feed(p::Ack{"lobby", "c1", 3, false});
  h.feed(p::Posted{chat(3, "ann", "héllo Привет", "c1")});
  h.feed(p::StreamStarted{"lobby", "g4", 4, 3, "Parley", 1'700'000'000'004});
  h.feed(p::StreamDelta{"lobby", "g4", 0, "Bonjour"});
  EXPECT_EQ(h.session.transcript().find_seq(4)->status, p::MessageStatus::streaming);
  h.feed(p::StreamDelta{"lobby", "g4", 7, ", ann"});
  EXPECT_EQ(h.session.transcript().find_seq(4)->text, "Bonjour, ann");
  h.feed(p::StreamCompleted{"lobby", "g4", 5, 4, "Bonjour, ann!", p::MessageStatus::complete, ""});

  EXPECT_EQ(h.seqs(), (std::vector<std::uint64_t>{1, 2, 3, 4}));
  const Entry* sent = h.session.transcript().find_seq(3);
  EXPECT_EQ(sent->delivery, Delivery::sent);
  EXPECT_EQ(sent->text, "héllo Привет");
  const Entry* reply = h.session.transcript().find_seq(4);
  EXPECT_EQ(reply->kind, p::MessageKind::assistant);
  EXPECT_EQ(reply->author, "Parley");
  EXPECT_EQ(reply->text, "Bonjour, ann!");
  EXPECT_EQ(reply->status, p::MessageStatus::complete);
  EXPECT_FALSE(h.session.last_error().has_value());
}

TEST(ClientSession, AckBeforeBroadcastGivesOneEntry) {
  Harness h;
  h.sign_in_and_join();
  h.session.send("one", h.now);
  h.feed(p::Ack{"lobby", "c1", 1, false});
  h.feed(p::Posted{chat(1, "ann", "one", "c1")});
  ASSERT_EQ(h.seqs(), (std::vector<std::uint64_t>{1}));
  EXPECT_EQ(h.session.transcript().entries()[0].delivery, Delivery::sent);
}

TEST(ClientSession, BroadcastBeforeAckGivesOneEntry) {
  Harness h;
  h.sign_in_and_join();
  h.session.send("one", h.now);
  h.feed(p::Posted{chat(1, "ann", "one", "c1")});
  h.feed(p::Ack{"lobby", "c1", 1, false});
  ASSERT_EQ(h.seqs(), (std::vector<std::uint64_t>{1}));
  EXPECT_EQ(h.session.transcript().entries()[0].delivery, Delivery::sent);
}

TEST(ClientSession, DuplicateMessageFramesShowOnce) {
  Harness h;
  h.sign_in_and_join("ann", {chat(1, "bob", "a")});
  h.feed(p::Posted{chat(2, "bob", "b")});
  h.feed(p::Posted{chat(2, "bob", "b")});
  h.feed(p::Posted{chat(1, "bob", "a")});
  EXPECT_EQ(h.seqs(), (std::vector<std::uint64_t>{1, 2}));
}

TEST(ClientSession, GapInLiveEventsResumesFromThePosition) {
  Harness h;
  h.sign_in_and_join();
  EXPECT_EQ(h.session.position(), 0u);
  h.written.clear();
  // seq 3 cannot follow position 0: events 1 and 2 were missed.
  h.feed(p::Posted{chat(3, "bob", "c")});
  EXPECT_TRUE(h.session.transcript().entries().empty()) << "nothing applied past a gap";
  ASSERT_EQ(h.written_of<p::Join>().size(), 1u);
  EXPECT_EQ(h.written_of<p::Join>()[0], (p::Join{"lobby", 0, "e1", 0}));
  // Frames still in flight before the answer are covered by it, so they are ignored.
  h.feed(p::Posted{chat(1, "bob", "a")});
  EXPECT_TRUE(h.session.transcript().entries().empty());
  h.feed(p::Joined{"lobby", "e1", 3, {chat(1, "bob", "a"), chat(2, "eve", "b"), chat(3, "bob", "c")},
                   p::Resume::ok, false});
  EXPECT_EQ(h.seqs(), (std::vector<std::uint64_t>{1, 2, 3}));
  EXPECT_EQ(h.session.position(), 3u);
  EXPECT_EQ(h.session.connection(), ConnectionState::connected);
  h.feed(p::Posted{chat(4, "eve", "d")});
  EXPECT_EQ(h.seqs(), (std::vector<std::uint64_t>{1, 2, 3, 4}));
}

TEST(ClientSession, DeltasWithDuplicateAndOverlappingOffsets) {
  Harness h;
  h.sign_in_and_join();
  h.feed(p::StreamStarted{"lobby", "g1", 1, 0, "Parley", 0});
  h.feed(p::StreamDelta{"lobby", "g1", 0, "abc"});
  h.feed(p::StreamDelta{"lobby", "g1", 0, "abc"});   // duplicate
  h.feed(p::StreamDelta{"lobby", "g1", 1, "bc"});    // inside what is held
  h.feed(p::StreamDelta{"lobby", "g1", 2, "cdef"});  // overlaps: only "def" is new
  const Entry* reply = h.session.transcript().find_seq(1);
  EXPECT_EQ(reply->text, "abcdef");
  EXPECT_FALSE(reply->needs_refresh);

  h.feed(p::StreamDelta{"lobby", "g1", 10, "zz"});  // a gap: bytes 6..9 never came
  EXPECT_EQ(reply->text, "abcdef");
  EXPECT_TRUE(reply->needs_refresh);

  h.feed(p::StreamCompleted{"lobby", "g1", 2, 1, "abcdefghijzz", p::MessageStatus::complete, ""});
  EXPECT_EQ(reply->text, "abcdefghijzz");
  EXPECT_FALSE(reply->needs_refresh);
  h.feed(p::StreamDelta{"lobby", "g1", 12, "late"});  // after completion: ignored
  EXPECT_EQ(reply->text, "abcdefghijzz");
  EXPECT_EQ(h.seqs(), (std::vector<std::uint64_t>{1}));
}

TEST(ClientSession, DeltaForUnknownGenerationIsIgnored) {
  Harness h;
  h.sign_in_and_join();
  h.feed(p::StreamDelta{"lobby", "nope", 0, "x"});
  EXPECT_EQ(h.session.transcript().size(), 0u);
}

TEST(ClientSession, FramesForOtherRoomsAreIgnored) {
  Harness h;
  h.sign_in_and_join();
  p::ChatMessage other = chat(1, "bob", "elsewhere");
  other.room = "other";
  h.feed(p::Posted{other});
  h.feed(p::StreamStarted{"other", "g2", 2, 1, "Parley", 0});
  EXPECT_EQ(h.session.transcript().size(), 0u);
}

TEST(ClientSession, InvalidTextIsRefusedWithReason) {
  Harness h;
  h.sign_in_and_join();
  for (const std::string& text : {std::string(), std::string("   \n"), std::string(8001, 'x'),
                                  std::string("bad\x01" "control"), std::string("\xff\xfe")}) {
    validation::Verdict v = h.session.send(text, h.now);
    EXPECT_FALSE(static_cast<bool>(v)) << text;
    EXPECT_STREQ(v.code, error_codes::invalid_text);
    EXPECT_FALSE(v.reason.empty());
  }
  h.pump();
  EXPECT_TRUE(h.written_of<p::Send>().empty());
  EXPECT_EQ(h.session.transcript().size(), 0u);
}

TEST(ClientSession, InvalidNameIsRefusedBeforeConnecting) {
  Harness h;
  for (const std::string& name : {std::string(), std::string(" ann"), std::string(40, 'a')}) {
    validation::Verdict v = h.session.start(name);
    EXPECT_FALSE(static_cast<bool>(v)) << name;
    EXPECT_FALSE(v.reason.empty());
  }
  EXPECT_FALSE(h.session.signed_in());
  EXPECT_FALSE(h.session.take_connect_request(h.now));
}

TEST(ClientSession, SendBeforeSignInIsRefused) {
  Harness h;
  EXPECT_FALSE(static_cast<bool>(h.session.send("hi", h.now)));
  EXPECT_EQ(h.session.transcript().size(), 0u);
}

TEST(ClientSession, ErrorForASendMarksItFailed) {
  Harness h;
  h.sign_in_and_join();
  h.session.send("hello", h.now);
  h.feed(p::Error{error_codes::invalid_text, "text is too long", "c1", 0});
  const Entry* e = h.session.transcript().find_client_id("c1");
  ASSERT_NE(e, nullptr);
  EXPECT_EQ(e->delivery, Delivery::failed);
  EXPECT_EQ(e->failure, "text is too long");
  ASSERT_TRUE(h.session.last_error().has_value());
  EXPECT_EQ(h.session.last_error()->code, error_codes::invalid_text);
  // A failed message is not resent on the next connection.
  h.drop_and_wait();
  const std::size_t before = h.written_of<p::Send>().size();
  h.open_and_join();
  EXPECT_EQ(h.written_of<p::Send>().size(), before);
}

TEST(ClientSession, ServerErrorIsShownAndCanBeDismissed) {
  Harness h;
  h.sign_in_and_join();
  h.feed(p::Error{error_codes::overloaded, "busy", "", 0});
  ASSERT_TRUE(h.session.last_error().has_value());
  EXPECT_EQ(h.session.last_error()->code, "overloaded");
  EXPECT_EQ(h.session.last_error()->message, "busy");
  EXPECT_EQ(h.session.connection(), ConnectionState::connected);
  h.session.dismiss_error();
  EXPECT_FALSE(h.session.last_error().has_value());
}

TEST(ClientSession, UndecodableFrameIsReportedAndConnectionKept) {
  Harness h;
  h.sign_in_and_join();
  h.session.on_frame(h.now, "{not json");
  ASSERT_TRUE(h.session.last_error().has_value());
  EXPECT_EQ(h.session.last_error()->code, error_codes::bad_json);
  EXPECT_EQ(h.session.connection(), ConnectionState::connected);
}

TEST(ClientSession, RefusedNameReturnsToSignIn) {
  Harness h;
  ASSERT_TRUE(static_cast<bool>(h.session.start("Parley")));
  ASSERT_TRUE(h.session.take_connect_request(h.now));
  h.session.on_connected(h.now);
  h.feed(p::Error{error_codes::invalid_name, "the name Parley is reserved", "", 0});
  EXPECT_FALSE(h.session.signed_in());
  EXPECT_EQ(h.session.connection(), ConnectionState::disconnected);
  EXPECT_TRUE(h.session.take_close_request());
  EXPECT_EQ(h.session.last_error()->code, error_codes::invalid_name);
  h.advance(60000);
  EXPECT_FALSE(h.session.take_connect_request(h.now));
  // Signing in again with another name works.
  EXPECT_TRUE(static_cast<bool>(h.session.start("ann")));
  h.open_and_join();
}

TEST(ClientSession, NotJoinedErrorRejoinsAndResends) {
  Harness h;
  h.sign_in_and_join();
  h.session.send("hi", h.now);
  h.pump();
  h.feed(p::Error{error_codes::not_joined, "join first", "c1", 0});
  EXPECT_EQ(h.written_of<p::Join>().size(), 2u);
  h.feed(p::Joined{"lobby", "e1", 0, {}, p::Resume::none, false});
  const auto sends = h.written_of<p::Send>();
  ASSERT_EQ(sends.size(), 2u);
  EXPECT_EQ(sends[1].client_id, "c1");
}

TEST(ClientSession, HeartbeatPingsEveryInterval) {
  Harness h;
  ASSERT_TRUE(static_cast<bool>(h.session.start("ann")));
  h.open_and_join({}, 1000);
  h.advance(999);
  EXPECT_TRUE(h.written_of<p::Ping>().empty());
  h.advance(1);
  ASSERT_EQ(h.written_of<p::Ping>().size(), 1u);
  h.feed(p::Pong{h.written_of<p::Ping>()[0].nonce});
  h.advance(1000);
  ASSERT_EQ(h.written_of<p::Ping>().size(), 2u);
  EXPECT_NE(h.written_of<p::Ping>()[0].nonce, h.written_of<p::Ping>()[1].nonce);
  EXPECT_EQ(h.session.connection(), ConnectionState::connected);
}

TEST(ClientSession, SilenceForTwoHeartbeatsClosesTheConnection) {
  Harness h;
  ASSERT_TRUE(static_cast<bool>(h.session.start("ann")));
  h.open_and_join({}, 1000);
  h.advance(1500);
  h.feed(p::Pong{1});  // alive at +1500
  h.advance(1999);
  EXPECT_FALSE(h.session.take_close_request());
  EXPECT_EQ(h.session.connection(), ConnectionState::connected);
  h.advance(1);
  EXPECT_TRUE(h.session.take_close_request());
  EXPECT_EQ(h.session.connection(), ConnectionState::reconnecting);
  EXPECT_TRUE(h.session.take_outbox().empty());
  // The platform's close callback arriving afterwards changes nothing.
  const std::int64_t wait = h.session.reconnect_in_ms(h.now);
  h.session.on_disconnected(h.now, "closed");
  EXPECT_EQ(h.session.reconnect_in_ms(h.now), wait);
}

TEST(ClientSession, ConnectAttemptThatNeverOpensTimesOut) {
  Harness h;
  ASSERT_TRUE(static_cast<bool>(h.session.start("ann")));
  ASSERT_TRUE(h.session.take_connect_request(h.now));
  h.advance(9999);
  EXPECT_FALSE(h.session.take_close_request());
  h.advance(1);
  EXPECT_TRUE(h.session.take_close_request());
  EXPECT_EQ(h.session.connection(), ConnectionState::reconnecting);
}

}  // namespace
}  // namespace parley::client

namespace parley::client {
namespace {

TEST(ClientSessionLimits, TextLongerThanTheServerAllowsIsRefusedBeforeSending) {
  testing::Harness h;
  ASSERT_TRUE(static_cast<bool>(h.session.start("ann")));
  h.open_and_join({}, 15000, "e1", 10);
  h.written.clear();
  const validation::Verdict refused = h.session.send("eleven byte", h.now);
  EXPECT_EQ(std::string(refused.code), "invalid_text");
  EXPECT_EQ(refused.reason, "text is longer than 10 bytes");
  EXPECT_TRUE(static_cast<bool>(h.session.send("ten bytes!", h.now)));
  h.pump();
  EXPECT_EQ(h.written_of<protocol::Send>().size(), 1u);
}

}  // namespace
}  // namespace parley::client
