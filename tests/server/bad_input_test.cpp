// Malformed and refused input: the exact error code, then proof that the offending
// connection (when it stays open), another client and the stored history are fine.
#include <gtest/gtest.h>

#include <algorithm>
#include <memory>
#include <string>
#include <vector>

#include "chat_steps.hpp"
#include "frame_log.hpp"
#include "server_process.hpp"

namespace parley::itest {
namespace {

using namespace std::string_literals;

class BadInput : public ::testing::Test {
 protected:
  void SetUp() override {
    server_ = std::make_unique<ServerProcess>();
    alice_ = connect_as(port(), "alice");
    bob_ = connect_as(port(), "bob");
    join(*alice_, "lobby");
    join(*bob_, "lobby");
    alice_->send(protocol::Send{"lobby", "seed-1", "something to keep"});
    auto settled = [](const FrameLog& l) {
      return l.posted.size() == 1 && l.completed_replies() == 1;
    };
    FrameLog alice_log;
    FrameLog bob_log;
    alice_log.read_until(*alice_, [&](const FrameLog& l) { return settled(l) && l.acks.size() == 1; });
    bob_log.read_until(*bob_, settled);
    history_before_ = history_of(port(), "lobby");
    ASSERT_EQ(history_before_.history.size(), 2u);
    // The observer that read the history came and went: let both hear it leave, so
    // each test starts with nothing pending.
    for (WsClient* c : {alice_.get(), bob_.get()}) {
      while (c->read_until<protocol::Presence>().online) {
      }
    }
  }

  std::uint16_t port() const { return server_->port(); }

  // The next error on `client` has `code`; nothing else may arrive before it except
  // presence signals (observers come and go).
  void expect_error(WsClient& client, const std::string& code) {
    protocol::Message m = client.read();
    while (std::holds_alternative<protocol::Presence>(m)) m = client.read();
    const auto* error = std::get_if<protocol::Error>(&m);
    ASSERT_NE(error, nullptr) << "expected error " << code << ", got " << describe(m);
    EXPECT_EQ(error->code, code) << error->message;
  }

  // Observers reading the history come and go; their presence is not a reaction.
  static void drop_presence(std::vector<protocol::Message>& frames) {
    std::erase_if(frames, [](const protocol::Message& m) {
      return std::holds_alternative<protocol::Presence>(m);
    });
  }

  // The other client and the room's history did not notice anything.
  void expect_others_unaffected() {
    std::vector<protocol::Message> bob_saw;
    bob_->expect_pong(900, &bob_saw);
    drop_presence(bob_saw);
    EXPECT_TRUE(bob_saw.empty()) << describe(bob_saw.front());
    EXPECT_EQ(history_of(port(), "lobby"), history_before_);
  }

  // The offending connection still answers, and nothing else was produced.
  void expect_still_serving(WsClient& client) {
    std::vector<protocol::Message> saw;
    client.expect_pong(901, &saw);
    drop_presence(saw);
    EXPECT_TRUE(saw.empty()) << describe(saw.front());
    expect_others_unaffected();
  }

  void expect_error_then_still_serving(const std::string& frame, const std::string& code) {
    alice_->send_text(frame);
    expect_error(*alice_, code);
    expect_still_serving(*alice_);
  }

  std::unique_ptr<ServerProcess> server_;
  std::unique_ptr<WsClient> alice_;
  std::unique_ptr<WsClient> bob_;
  protocol::Joined history_before_;
};

TEST_F(BadInput, NotJson) { expect_error_then_still_serving("this is not json", "bad_json"); }

TEST_F(BadInput, TruncatedJson) {
  expect_error_then_still_serving(R"({"v":1,"type":"ping","nonce":)", "bad_json");
}

TEST_F(BadInput, JsonArray) { expect_error_then_still_serving(R"([1,2,3])", "bad_json"); }

TEST_F(BadInput, UnknownType) {
  expect_error_then_still_serving(R"({"v":1,"type":"dance","steps":3})", "unknown_type");
}

TEST_F(BadInput, MissingField) {
  expect_error_then_still_serving(R"({"v":1,"type":"send","room":"lobby","client_id":"m-1"})",
                                  "bad_field");
}

TEST_F(BadInput, MistypedField) {
  expect_error_then_still_serving(R"({"v":1,"type":"ping","nonce":"seven"})", "bad_field");
}

TEST_F(BadInput, MistypedSendText) {
  expect_error_then_still_serving(
      R"({"v":1,"type":"send","room":"lobby","client_id":"m-2","text":42})", "bad_field");
}

TEST_F(BadInput, WrongVersion) {
  expect_error_then_still_serving(R"({"v":2,"type":"ping","nonce":1})", "unsupported_version");
}

TEST_F(BadInput, ServerOnlyTypeFromClient) {
  expect_error_then_still_serving(protocol::encode(protocol::Pong{3}), "unexpected_type");
}

TEST_F(BadInput, ServerOnlyAckFromClient) {
  expect_error_then_still_serving(protocol::encode(protocol::Ack{"lobby", "x-1", 1, false}),
                                  "unexpected_type");
}

TEST_F(BadInput, InvalidRoom) {
  expect_error_then_still_serving(protocol::encode(protocol::Join{"Not A Room!", 10, "", std::nullopt}),
                                  "invalid_room");
}

TEST_F(BadInput, EmptyText) {
  expect_error_then_still_serving(protocol::encode(protocol::Send{"lobby", "e-1", ""}),
                                  "invalid_text");
}

TEST_F(BadInput, WhiteSpaceOnlyText) {
  expect_error_then_still_serving(protocol::encode(protocol::Send{"lobby", "e-2", " \n\t "}),
                                  "invalid_text");
}

TEST_F(BadInput, SendToRoomNotJoined) {
  expect_error_then_still_serving(protocol::encode(protocol::Send{"lobby-2", "n-1", "hi"}),
                                  "not_joined");
  EXPECT_TRUE(history_of(port(), "lobby-2").history.empty());
}

TEST_F(BadInput, MessageBeforeHello) {
  WsClient carol(port());
  carol.send(protocol::Ping{1});
  expect_error(carol, "hello_required");
  carol.send(protocol::Join{"lobby", 10, "", std::nullopt});
  expect_error(carol, "hello_required");
  carol.send(protocol::Hello{"carol", "parley-itest/1", ""});
  EXPECT_EQ(carol.read_until<protocol::Welcome>().user, "carol");
  expect_still_serving(carol);
}

TEST_F(BadInput, InvalidNames) {
  WsClient carol(port());
  for (const std::string& name : {""s, " padded "s, "Parley"s, std::string(33, 'n'),
                                 "bell\x07"s}) {
    SCOPED_TRACE("name '" + name + "'");
    carol.send(protocol::Hello{name, "parley-itest/1", ""});
    expect_error(carol, "invalid_name");
  }
  carol.send(protocol::Hello{"carol", "parley-itest/1", ""});
  EXPECT_EQ(carol.read_until<protocol::Welcome>().user, "carol");
  expect_still_serving(carol);
}

TEST_F(BadInput, BinaryFrameWithInvalidUtf8) {
  alice_->send_binary("{\"v\":1,\"type\":\"ping\",\"nonce\":1,\"x\":\"\xff\xfe\"}");
  expect_error(*alice_, "bad_utf8");
  expect_still_serving(*alice_);
}

TEST_F(BadInput, FrameOverMaxMessageBytesIsRefusedButKeepsConnection) {
  const std::string text(100 * 1024, 'x');
  alice_->send(protocol::Send{"lobby", "big-1", text});
  expect_error(*alice_, "too_large");
  expect_still_serving(*alice_);
}

TEST_F(BadInput, TextFrameWithInvalidUtf8ClosesWith1007) {
  const Frame end = alice_->send_text_expecting_close(
      "{\"v\":1,\"type\":\"ping\",\"nonce\":1,\"x\":\"\xc3\x28\"}");
  EXPECT_EQ(end.close_code, 1007) << end.close_error;

  auto carol = connect_as(port(), "carol");
  join(*carol, "lobby");
  expect_still_serving(*carol);
}

TEST_F(BadInput, FrameOverOneMebibyteClosesWith1009) {
  const Frame end = alice_->send_raw_text_until_closed(protocol::encode(
      protocol::Send{"lobby", "huge-1", std::string(2 * 1024 * 1024, 'y')}));
  EXPECT_EQ(end.close_code, 1009) << end.close_error;

  auto carol = connect_as(port(), "carol");
  join(*carol, "lobby");
  expect_still_serving(*carol);
}

}  // namespace
}  // namespace parley::itest
