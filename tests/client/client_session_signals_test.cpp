// Presence, typing and receipts as the session tracks and sends them.
#include <gtest/gtest.h>

#include "parley/client_session.hpp"
#include "session_harness.hpp"

namespace parley::client {
namespace {

using testing::chat;
using testing::Harness;
namespace p = parley::protocol;

TEST(ClientSessionSignals, PresenceAndTypingFollowTheRoom) {
  Harness h;
  h.sign_in_and_join();
  h.feed(p::Present{"lobby", {"ann", "bob"}});
  h.feed(p::Presence{"lobby", "eve", true});
  h.feed(p::Presence{"other", "zed", true});  // another room's
  EXPECT_EQ(h.session.signals().online(), (std::vector<std::string>{"ann", "bob", "eve"}));

  h.feed(p::Typing{"lobby", "bob", true});
  h.feed(p::Typing{"lobby", "ann", true});  // our own echo is not shown
  EXPECT_EQ(h.session.signals().typing_users(), (std::vector<std::string>{"bob"}));
  h.advance(p::kTypingExpiryMs - 1);
  EXPECT_EQ(h.session.signals().typing_users().size(), 1u);
  h.advance(1);
  EXPECT_TRUE(h.session.signals().typing_users().empty()) << "not renewed: expired";

  h.feed(p::Typing{"lobby", "bob", true});
  h.feed(p::Presence{"lobby", "bob", false});
  EXPECT_TRUE(h.session.signals().typing_users().empty()) << "gone offline: not typing";
  EXPECT_EQ(h.session.signals().online(), (std::vector<std::string>{"ann", "eve"}));

  h.drop_and_wait();
  EXPECT_TRUE(h.session.signals().online().empty()) << "stale after a drop";
}

TEST(ClientSessionSignals, TypingIsSentOnChangeAndRenewedWhileItLasts) {
  Harness h;
  h.sign_in_and_join();
  h.written.clear();
  h.session.set_typing(true, h.now);
  h.session.set_typing(true, h.now);  // no change, nothing new
  h.pump();
  ASSERT_EQ(h.written_of<p::Typing>().size(), 1u);
  EXPECT_EQ(h.written_of<p::Typing>()[0], (p::Typing{"lobby", "", true}));
  h.advance(p::kTypingExpiryMs / 2);
  EXPECT_EQ(h.written_of<p::Typing>().size(), 2u) << "renewed before receivers expire it";
  h.session.set_typing(false, h.now);
  h.pump();
  EXPECT_EQ(h.written_of<p::Typing>().back(), (p::Typing{"lobby", "", false}));
}

TEST(ClientSessionSignals, MarksFollowThePositionAndReadOnlyWhileVisible) {
  Harness h;
  h.sign_in_and_join("ann", {chat(1, "bob", "a")});
  h.written.clear();
  h.advance(1);
  ASSERT_EQ(h.written_of<p::Mark>().size(), 1u);
  EXPECT_EQ(h.written_of<p::Mark>()[0], (p::Mark{"lobby", 1, 1}));

  h.session.set_visible(false);
  h.feed(p::Posted{chat(2, "bob", "b")});
  h.advance(1000);
  EXPECT_EQ(h.written_of<p::Mark>().back(), (p::Mark{"lobby", 2, 1})) << "delivered, not read";
  const auto count = h.written_of<p::Mark>().size();
  h.advance(1000);
  EXPECT_EQ(h.written_of<p::Mark>().size(), count) << "nothing new, nothing sent";
  h.session.on_visible(h.now);
  h.advance(1000);
  EXPECT_EQ(h.written_of<p::Mark>().back(), (p::Mark{"lobby", 2, 2}));
}

TEST(ClientSessionSignals, ReceiptsTellWhoHasReadAMessage) {
  Harness h;
  h.sign_in_and_join("ann");
  h.feed(p::Receipt{"lobby", "bob", 5, 3});
  h.feed(p::Receipt{"lobby", "eve", 5, 5});
  h.feed(p::Receipt{"lobby", "ann", 5, 5});  // our own marker is not a reader
  h.feed(p::Receipt{"lobby", "bob", 5, 2});  // never backwards
  EXPECT_EQ(h.session.signals().read_by(3, "ann"), (std::vector<std::string>{"bob", "eve"}));
  EXPECT_EQ(h.session.signals().read_by(4, "ann"), (std::vector<std::string>{"eve"}));
}

}  // namespace
}  // namespace parley::client

namespace parley::client {
namespace {

TEST(ClientSessionVoice, TheConversationStateFollowsUpdatesOfTheRoomOnScreen) {
  testing::Harness h;
  h.sign_in_and_join();
  EXPECT_EQ(h.session.conversation_state(), "idle");
  h.written.clear();
  h.session.request_state("listening", "user_started_speaking");
  h.pump();
  ASSERT_EQ(h.written_of<protocol::StateChangeRequest>().size(), 1u);
  EXPECT_EQ(h.written_of<protocol::StateChangeRequest>()[0],
            (protocol::StateChangeRequest{"lobby", "listening", "user_started_speaking"}));
  h.feed(protocol::StateUpdate{"elsewhere", "ended", "idle", "bob", "", 1});
  EXPECT_EQ(h.session.conversation_state(), "idle") << "another room's state";
  h.feed(protocol::StateUpdate{"lobby", "listening", "idle", "ann", "", 2});
  EXPECT_EQ(h.session.conversation_state(), "listening");
  ASSERT_TRUE(static_cast<bool>(h.session.switch_room("team")));
  EXPECT_EQ(h.session.conversation_state(), "idle") << "a room starts idle until told";
}

}  // namespace
}  // namespace parley::client
