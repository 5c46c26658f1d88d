// Resuming from a position: after a drop, after a reload (saved session), through paged
// gaps, across a reset of the room, and with a drop at every step of a send and a reply.
#include <gtest/gtest.h>

#include <algorithm>
#include <optional>
#include <string>
#include <vector>

#include "parley/client_session.hpp"
#include "parley/error_codes.hpp"
#include "parley/saved_session.hpp"
#include "session_harness.hpp"

namespace parley::client {
namespace {

using testing::chat;
using testing::Harness;
namespace p = parley::protocol;

// Opens the transport and answers hello; returns the Join the session then wrote.
p::Join open_and_hello(Harness& h) {
  EXPECT_TRUE(h.session.take_connect_request(h.now));
  h.session.on_connected(h.now);
  h.pump();
  h.feed(p::Welcome{h.session.user(), "parley/test", 15000, 65536, 8000});
  const auto joins = h.written_of<p::Join>();
  EXPECT_FALSE(joins.empty());
  return joins.empty() ? p::Join{} : joins.back();
}

p::Joined joined(std::string epoch, std::uint64_t head, std::vector<p::ChatMessage> history,
                 p::Resume resume = p::Resume::ok, bool more = false) {
  return p::Joined{"lobby", std::move(epoch), head, std::move(history), resume, more};
}

p::ChatMessage end_of(std::uint64_t seq, std::uint64_t reply, std::string text,
                      p::MessageStatus status = p::MessageStatus::complete) {
  p::ChatMessage m = chat(seq, "Parley", std::move(text), "", p::MessageKind::end, status);
  m.ref = reply;
  m.gen_id = "g" + std::to_string(reply);
  return m;
}

// Joins an empty room, sees reply g1 at seq 1 start with `text`, then loses the connection.
void streaming_reply_then_drop(Harness& h, const std::string& text) {
  h.sign_in_and_join();
  h.feed(p::StreamStarted{"lobby", "g1", 1, 0, "Parley", 0});
  h.feed(p::StreamDelta{"lobby", "g1", 0, text});
  h.drop_and_wait();
}

TEST(ClientSessionResume, ReconnectResumesFromThePositionWithoutAskingForContext) {
  Harness h;
  h.sign_in_and_join("ann", {chat(1, "bob", "a"), chat(2, "bob", "b")});
  EXPECT_EQ(h.session.position(), 2u);
  h.feed(p::Posted{chat(3, "eve", "c")});
  EXPECT_EQ(h.session.position(), 3u);
  h.drop_and_wait();
  EXPECT_EQ(open_and_hello(h), (p::Join{"lobby", 0, "e1", 3}));
  EXPECT_EQ(h.session.connection(), ConnectionState::connecting);
  h.feed(joined("e1", 5, {chat(4, "bob", "d"), chat(5, "eve", "e")}));
  EXPECT_EQ(h.seqs(), (std::vector<std::uint64_t>{1, 2, 3, 4, 5}));
  EXPECT_EQ(h.session.position(), 5u);
  EXPECT_EQ(h.session.connection(), ConnectionState::connected);
}

TEST(ClientSessionResume, AClientThatNeverReceivedAMessageResumesFromZero) {
  Harness h;
  h.sign_in_and_join();  // an empty room
  EXPECT_EQ(h.session.epoch(), "e1");
  h.drop_and_wait();
  // Nothing on screen: context is asked for too; after_seq 0 still means "everything".
  EXPECT_EQ(open_and_hello(h), (p::Join{"lobby", 50, "e1", 0}));
  h.feed(joined("e1", 2, {chat(1, "bob", "while you were away"), chat(2, "bob", "still?")}));
  EXPECT_EQ(h.seqs(), (std::vector<std::uint64_t>{1, 2}));
}

TEST(ClientSessionResume, PagedResumeFetchesEveryPageBeforeGoingLive) {
  Harness h;
  h.sign_in_and_join("ann", {chat(1, "bob", "a")});
  h.session.send("queued", h.now);
  h.pump();
  h.drop_and_wait();
  h.written.clear();
  EXPECT_EQ(open_and_hello(h), (p::Join{"lobby", 0, "e1", 1}));

  h.feed(joined("e1", 5, {chat(2, "bob", "b"), chat(3, "bob", "c")}, p::Resume::ok, true));
  EXPECT_EQ(h.session.connection(), ConnectionState::connecting) << "not live between pages";
  EXPECT_TRUE(h.written_of<p::Send>().empty()) << "sends wait for the last page";
  EXPECT_EQ(h.written_of<p::Join>().back(), (p::Join{"lobby", 0, "e1", 3}));
  // A live frame cannot arrive before the last page (not subscribed); were one to, it
  // is ignored rather than applied out of order.
  h.feed(p::Posted{chat(9, "eve", "stray")});
  EXPECT_EQ(h.session.transcript().find_seq(9), nullptr);

  h.feed(joined("e1", 5, {chat(4, "bob", "d"), chat(5, "bob", "e")}));
  EXPECT_EQ(h.session.connection(), ConnectionState::connected);
  EXPECT_EQ(h.session.resume_pages(), 2u);
  EXPECT_EQ(h.seqs(), (std::vector<std::uint64_t>{1, 2, 3, 4, 5, 0}));
  ASSERT_EQ(h.written_of<p::Send>().size(), 1u);
  EXPECT_EQ(h.written_of<p::Send>()[0].client_id, "c1");
}

TEST(ClientSessionResume, ResetDropsStoredMessagesButKeepsUnsentOnes) {
  Harness h;
  h.sign_in_and_join("ann", {chat(1, "bob", "old"), chat(2, "bob", "older")});
  h.session.send("not yet stored", h.now);
  h.pump();
  h.drop_and_wait();
  open_and_hello(h);
  h.written.clear();
  h.feed(joined("e2", 1, {chat(1, "eve", "a new history")}, p::Resume::reset));
  EXPECT_EQ(h.session.epoch(), "e2");
  EXPECT_EQ(h.session.position(), 1u);
  EXPECT_EQ(h.seqs(), (std::vector<std::uint64_t>{1, 0}));
  EXPECT_EQ(h.session.transcript().entries()[0].text, "a new history");
  ASSERT_EQ(h.written_of<p::Send>().size(), 1u) << "the unsent message goes to the new room";
}

TEST(ClientSessionResume, EndEventInTheResumeFinishesAReplySeenStreaming) {
  Harness h;
  streaming_reply_then_drop(h, "Hal");
  EXPECT_EQ(open_and_hello(h), (p::Join{"lobby", 0, "e1", 1}));
  h.feed(joined("e1", 2, {end_of(2, 1, "Half a reply", p::MessageStatus::interrupted)}));
  ASSERT_EQ(h.seqs(), (std::vector<std::uint64_t>{1}));
  const Entry& reply = h.session.transcript().entries()[0];
  EXPECT_EQ(reply.text, "Half a reply");
  EXPECT_EQ(reply.status, p::MessageStatus::interrupted);
  EXPECT_EQ(h.session.position(), 2u);
}

TEST(ClientSessionResume, CatchUpDeltaFromOffsetZeroAddsOnlyWhatIsMissing) {
  Harness h;
  streaming_reply_then_drop(h, "abc");
  open_and_hello(h);
  h.feed(joined("e1", 1, {}));
  h.feed(p::StreamDelta{"lobby", "g1", 0, "abcdef"});  // the server's catch-up
  h.feed(p::StreamDelta{"lobby", "g1", 6, "gh"});      // and live from there
  EXPECT_EQ(h.session.transcript().entries()[0].text, "abcdefgh");
}

// ---- reload: the saved session ---------------------------------------------------------

TEST(ClientSessionResume, SavedSessionCarriesUserPositionAndOutbox) {
  Harness h;
  h.sign_in_and_join("ann", {chat(1, "bob", "a")});
  const std::uint64_t before = h.session.saved_revision();
  h.session.send("unsent", h.now);
  EXPECT_GT(h.session.saved_revision(), before) << "a send changes what must be saved";
  const SavedSession saved = h.session.saved();
  EXPECT_EQ(saved.user, "ann");
  ASSERT_EQ(saved.positions.size(), 1u);
  EXPECT_EQ(saved.positions[0], (SavedPosition{"lobby", "e1", 1}));
  ASSERT_EQ(saved.outbox.size(), 1u);
  EXPECT_EQ(saved.outbox[0].client_id, "c1");
  EXPECT_EQ(saved.outbox[0].text, "unsent");

  const std::uint64_t after_send = h.session.saved_revision();
  h.feed(p::Ack{"lobby", "c1", 2, false});
  EXPECT_GT(h.session.saved_revision(), after_send) << "an ack empties the saved outbox";
  EXPECT_TRUE(h.session.saved().outbox.empty());
}

TEST(ClientSessionResume, ReloadRestoresAndResendsWithTheOriginalId) {
  Harness first;
  first.sign_in_and_join("ann", {chat(1, "bob", "a"), chat(2, "bob", "b")});
  first.session.send("typed before the reload", first.now);
  const std::string stored = encode_saved(first.session.saved());

  Harness reloaded;  // a new page: empty transcript, fresh id generator
  const auto saved = decode_saved(stored);
  ASSERT_TRUE(saved.has_value());
  ASSERT_TRUE(reloaded.session.restore(*saved));
  EXPECT_TRUE(reloaded.session.signed_in());
  EXPECT_EQ(reloaded.session.user(), "ann");
  ASSERT_EQ(reloaded.session.transcript().size(), 1u);
  EXPECT_EQ(reloaded.session.transcript().entries()[0].delivery, Delivery::sending);
  // With nothing on screen it asks for context as well as everything after its position.
  EXPECT_EQ(open_and_hello(reloaded), (p::Join{"lobby", 50, "e1", 2}));
  reloaded.feed(joined("e1", 3, {chat(1, "bob", "a"), chat(2, "bob", "b"), chat(3, "bob", "c")}));
  const auto sends = reloaded.written_of<p::Send>();
  ASSERT_EQ(sends.size(), 1u);
  EXPECT_EQ(sends[0].client_id, "c1");
  EXPECT_EQ(sends[0].text, "typed before the reload");
  EXPECT_FALSE(reloaded.session.restore(*saved)) << "only a signed-out session restores";
}

TEST(ClientSessionResume, ReloadAfterTheServerStoredTheSendShowsItOnce) {
  Harness first;
  first.sign_in_and_join();
  first.session.send("stored, ack lost", first.now);
  const auto saved = decode_saved(encode_saved(first.session.saved()));
  ASSERT_TRUE(saved.has_value());
  Harness reloaded;
  reloaded.session.restore(*saved);
  open_and_hello(reloaded);
  reloaded.feed(joined("e1", 1, {chat(1, "ann", "stored, ack lost", "c1")}));
  EXPECT_EQ(reloaded.seqs(), (std::vector<std::uint64_t>{1}));
  EXPECT_EQ(reloaded.session.transcript().entries()[0].delivery, Delivery::sent);
  EXPECT_TRUE(reloaded.written_of<p::Send>().empty());
}

TEST(SavedSession, RoundTripsAndRefusesAnythingMalformed) {
  const SavedSession s{"Zoë",
                       "team",
                       "eyJhbGciOiJIUzI1NiJ9.e30.c2ln",
                       {{"lobby", "00ff00ff00ff00ff", 12}},
                       {{"lobby", "c-1", "héllo", 5}}};
  const auto back = decode_saved(encode_saved(s));
  ASSERT_TRUE(back.has_value());
  EXPECT_EQ(*back, s);
  for (const char* bad : {
           "", "not json", "[]", R"({"v":2,"user":"a","positions":[],"outbox":[]})",
           R"({"v":1,"user":"","positions":[],"outbox":[]})",
           R"({"v":1,"user":"a","positions":{},"outbox":[]})",
           R"({"v":1,"user":"a","positions":[{"room":"Bad Room","epoch":"e","seq":1}],"outbox":[]})",
           R"({"v":1,"user":"a","positions":[{"room":"r","epoch":"e","seq":-1}],"outbox":[]})",
           R"({"v":1,"user":"a","positions":[],"outbox":[{"room":"r","client_id":"no spaces","text":"t","ts_ms":1}]})",
           R"({"v":1,"user":"a","positions":[],"outbox":[{"room":"r","client_id":"c","text":"","ts_ms":1}]})",
           "{\"v\":1,\"user\":\"\xff\",\"positions\":[],\"outbox\":[]}",
       }) {
    EXPECT_FALSE(decode_saved(bad).has_value()) << bad;
  }
}

// ---- network and visibility --------------------------------------------------------------

TEST(ClientSessionResume, OfflineIsReportedAndComingBackOnlineRetriesAtOnce) {
  Harness h;
  h.sign_in_and_join();
  h.session.set_online(false);
  h.session.on_disconnected(h.now, "network gone");
  EXPECT_EQ(h.session.connection(), ConnectionState::offline);
  EXPECT_GT(h.session.reconnect_in_ms(h.now), 0);
  EXPECT_FALSE(h.session.take_connect_request(h.now));
  h.session.set_online(true);
  EXPECT_EQ(h.session.connection(), ConnectionState::reconnecting);
  EXPECT_TRUE(h.session.take_connect_request(h.now));
}

TEST(ClientSessionResume, BecomingVisibleRetriesAtOnce) {
  Harness h;
  h.sign_in_and_join();
  h.session.on_disconnected(h.now, "reset");
  ASSERT_GT(h.session.reconnect_in_ms(h.now), 0);
  h.session.on_visible(h.now);
  EXPECT_TRUE(h.session.take_connect_request(h.now));
}

TEST(ClientSessionResume, BecomingVisiblePingsAndNoticesADeadConnectionInOneInterval) {
  Harness h;
  h.sign_in_and_join();  // heartbeat 15 s
  h.advance(1000);
  h.written.clear();
  h.session.on_visible(h.now);
  h.pump();
  ASSERT_EQ(h.written_of<p::Ping>().size(), 1u);
  h.advance(14'999);
  EXPECT_EQ(h.session.connection(), ConnectionState::connected);
  h.advance(1);
  EXPECT_TRUE(h.session.take_close_request());
  EXPECT_EQ(h.session.connection(), ConnectionState::reconnecting);
}

// ---- a drop at every step of a send and its reply -------------------------------------

// The server side of one room, as far as the session can tell: stored events, client_id
// de-duplication and resume answers.
struct FakeRoom {
  std::vector<p::ChatMessage> events;
  std::uint64_t head() const { return events.empty() ? 0 : events.back().seq; }
  p::Joined answer(const p::Join& j) const {
    p::Joined out = joined("e1", head(), {}, j.after_seq ? p::Resume::ok : p::Resume::none);
    for (const auto& e : events)
      if (!j.after_seq || e.seq > *j.after_seq) out.history.push_back(e);
    return out;
  }
  std::vector<p::ChatMessage> shown() const {
    std::vector<p::ChatMessage> out;
    for (const auto& e : events)
      if (e.kind != p::MessageKind::end) out.push_back(e);
    return out;
  }
};

TEST(ClientSessionResume, DropAtEveryStepOfSendAckAndStreamConverges) {
  // The frames one send produces, in the order the server sends them.
  const p::ChatMessage question = chat(2, "ann", "what now?", "c1");
  p::ChatMessage reply = chat(3, "Parley", "Do this.", "", p::MessageKind::assistant);
  reply.gen_id = "g3";
  const std::vector<p::Message> frames = {
      p::Ack{"lobby", "c1", 2, false},
      p::Posted{question},
      p::StreamStarted{"lobby", "g3", 3, 2, "Parley", 0},
      p::StreamDelta{"lobby", "g3", 0, "Do "},
      p::StreamDelta{"lobby", "g3", 3, "this."},
      p::StreamCompleted{"lobby", "g3", 4, 3, "Do this.", p::MessageStatus::complete, ""},
  };
  for (std::size_t cut = 0; cut <= frames.size(); ++cut) {
    SCOPED_TRACE("dropped after " + std::to_string(cut) + " frames");
    Harness h;
    FakeRoom room;
    room.events.push_back(chat(1, "bob", "hi"));
    h.sign_in_and_join("ann", room.events);
    h.session.send("what now?", h.now);
    h.pump();
    // The server stores and answers everything whatever happens to the connection.
    room.events = {chat(1, "bob", "hi"), question, reply, end_of(4, 3, "Do this.")};
    for (std::size_t i = 0; i < cut; ++i) h.feed(frames[i]);
    h.drop_and_wait();
    h.written.clear();
    const p::Join resume = open_and_hello(h);
    h.feed(room.answer(resume));
    // Whatever the session resends, the server de-duplicates it.
    for (const p::Send& s : h.written_of<p::Send>()) {
      EXPECT_EQ(s.client_id, "c1");
      h.feed(p::Ack{"lobby", "c1", 2, true});
    }
    const auto shown = room.shown();
    ASSERT_EQ(h.session.transcript().size(), shown.size());
    for (std::size_t i = 0; i < shown.size(); ++i) {
      const Entry& e = h.session.transcript().entries()[i];
      EXPECT_EQ(e.seq, shown[i].seq);
      EXPECT_EQ(e.text, shown[i].text);
      EXPECT_EQ(e.status, shown[i].status);
    }
    EXPECT_EQ(h.session.transcript().find_seq(2)->delivery, Delivery::sent);
    EXPECT_EQ(h.session.position(), 4u);
    EXPECT_TRUE(h.session.saved().outbox.empty());
  }
}

}  // namespace
}  // namespace parley::client

namespace parley::client {
namespace {

TEST(ClientSessionLimits, RateLimitedSendStaysPendingAndGoesAgainAfterTheWait) {
  Harness h;
  h.sign_in_and_join();
  h.session.send("too fast", h.now);
  h.pump();
  h.feed(p::Error{error_codes::rate_limited, "slow down", "c1", 1500});
  const Entry* e = h.session.transcript().find_client_id("c1");
  ASSERT_NE(e, nullptr);
  EXPECT_EQ(e->delivery, Delivery::sending) << "a rate limit is not a failure";
  h.written.clear();
  h.advance(1499);
  EXPECT_TRUE(h.written_of<p::Send>().empty());
  h.advance(1);
  ASSERT_EQ(h.written_of<p::Send>().size(), 1u);
  EXPECT_EQ(h.written_of<p::Send>()[0].client_id, "c1");
}

}  // namespace
}  // namespace parley::client
