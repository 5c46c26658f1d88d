#include "parley/codec.hpp"

#include <gtest/gtest.h>

#include <set>
#include <string>
#include <variant>

#include "codec_samples.hpp"
#include "parley/error_codes.hpp"
#include "parley/validation.hpp"

namespace parley::protocol {
namespace {

class RoundTrip : public testing::TestWithParam<Message> {};

TEST_P(RoundTrip, DecodeOfEncodeGivesTheSameMessage) {
  const Message& m = GetParam();
  const std::string wire = encode(m);
  const DecodeResult r = decode(wire);
  ASSERT_TRUE(r.ok()) << r.error.code << ": " << r.error.message << "\n" << wire;
  EXPECT_EQ(*r.value, m) << wire;
  EXPECT_EQ(encode(*r.value), wire);
}

TEST_P(RoundTrip, EnvelopeComesFirstAndFrameIsCompact) {
  const Message& m = GetParam();
  const std::string wire = encode(m);
  const std::string prefix = std::string(R"({"v":1,"type":")") + type_name(m) + "\"";
  EXPECT_EQ(wire.substr(0, prefix.size()), prefix);
  EXPECT_EQ(wire.find('\n'), std::string::npos);
  EXPECT_TRUE(validation::is_valid_utf8(wire));
}

INSTANTIATE_TEST_SUITE_P(EveryAlternative, RoundTrip, testing::ValuesIn(samples::all()),
                         [](const testing::TestParamInfo<Message>& info) {
                           return std::string(type_name(info.param)) + "_" +
                                  std::to_string(info.index);
                         });

TEST(Samples, CoverEveryAlternative) {
  std::set<std::size_t> seen;
  for (const Message& m : samples::all()) seen.insert(m.index());
  EXPECT_EQ(seen.size(), std::variant_size_v<Message>);
}

TEST(TypeName, EveryAlternativeHasItsOwnTag) {
  std::set<std::string> tags;
  for (const Message& m : samples::all()) tags.insert(type_name(m));
  EXPECT_EQ(tags, (std::set<std::string>{"hello", "join", "send", "ping", "welcome", "joined",
                                         "ack", "message", "stream_started", "stream_delta",
                                         "stream_completed", "error", "pong", "create_room",
                                         "leave", "delete_room", "list_rooms", "get_room",
                                         "invite", "remove_member", "set_assistant", "room",
                                         "rooms", "left", "room_deleted", "member", "typing",
                                         "mark", "present", "presence", "receipt", "auth",
                                         "authed", "unsubscribe", "unsubscribed", "fetch_history",
                                         "history_page", "stop", "state_change_request",
                                         "state_update", "transcript_update", "speech_event",
                                         "regenerate", "upload_init", "upload_ready",
                                         "upload_chunk", "upload_progress", "upload_finish",
                                         "upload_done", "list_documents", "documents", "document",
                                         "delete_document", "document_deleted",
                                         "component_submit"}));
  EXPECT_EQ(tags.size(), std::variant_size_v<Message>) << "a sample of every alternative";
}

TEST(Enums, HaveTheirWireNames) {
  EXPECT_STREQ(to_string(MessageKind::user), "user");
  EXPECT_STREQ(to_string(MessageKind::assistant), "assistant");
  EXPECT_STREQ(to_string(MessageKind::system), "system");
  EXPECT_STREQ(to_string(MessageStatus::complete), "complete");
  EXPECT_STREQ(to_string(MessageStatus::streaming), "streaming");
  EXPECT_STREQ(to_string(MessageStatus::interrupted), "interrupted");
  EXPECT_STREQ(to_string(MessageKind::end), "end");
  EXPECT_STREQ(to_string(Resume::reset), "reset");
  EXPECT_STREQ(to_string(RoomType::private_), "private");
  EXPECT_STREQ(to_string(RoomType::group), "group");
  EXPECT_STREQ(to_string(AssistantMode::mention), "mention");
  EXPECT_STREQ(to_string(MemberRole::admin), "admin");
}

TEST(Encode, ProducesTheDocumentedWireForm) {
  EXPECT_EQ(encode(Send{.room = "lobby", .client_id = "c-1", .text = "hi"}),
            R"({"v":1,"type":"send","room":"lobby","client_id":"c-1","text":"hi"})");
  EXPECT_EQ(encode(Ping{.nonce = 7}), R"({"v":1,"type":"ping","nonce":7})");
  EXPECT_EQ(
      encode(StreamCompleted{.room = "r",
                             .gen_id = "g",
                             .seq = 3,
                             .reply_seq = 2,
                             .text = "t",
                             .status = MessageStatus::interrupted,
                             .data = ""}),
      R"({"v":1,"type":"stream_completed","room":"r","gen_id":"g","seq":3,"reply_seq":2,)"
      R"("text":"t","status":"interrupted"})");
  // A join without a position carries no epoch/after_seq; a resume carries both.
  EXPECT_EQ(encode(Join{.room = "r", .history_limit = 5, .epoch = "", .after_seq = std::nullopt}),
            R"({"v":1,"type":"join","room":"r","history_limit":5})");
  EXPECT_EQ(encode(Join{.room = "r", .history_limit = 0, .epoch = "e", .after_seq = 0}),
            R"({"v":1,"type":"join","room":"r","history_limit":0,"epoch":"e","after_seq":0})");
  EXPECT_EQ(encode(Joined{.room = "r",
                          .epoch = "e",
                          .head_seq = 0,
                          .history = {},
                          .resume = Resume::ok,
                          .more = false}),
            R"({"v":1,"type":"joined","room":"r","epoch":"e","head_seq":0,"history":[],)"
            R"("resume":"ok","more":false})");
  EXPECT_EQ(encode(Posted{.message = ChatMessage{.room = "r",
                                                 .seq = 1,
                                                 .author = "Ann",
                                                 .kind = MessageKind::user,
                                                 .text = "é",
                                                 .client_id = "c",
                                                 .gen_id = "",
                                                 .status = MessageStatus::complete,
                                                 .ts_ms = 5,
                                                 .ref = 0,
                     .data = ""}}),
            R"({"v":1,"type":"message","message":{"room":"r","seq":1,"author":"Ann",)"
            R"("kind":"user","text":"é","client_id":"c","gen_id":"","status":"complete",)"
            R"("ts_ms":5}})");
}

TEST(Encode, ReplacesInvalidUtf8InsteadOfFailing) {
  const std::string wire = encode(Send{.room = "lobby",
                                       .client_id = "c",
                                       .text = "a\xff"
                                               "b"});
  EXPECT_TRUE(validation::is_valid_utf8(wire));
  const DecodeResult r = decode(wire);
  ASSERT_TRUE(r.ok()) << r.error.message;
  EXPECT_EQ(std::get<Send>(*r.value).text,
            "a\xEF\xBF\xBD"
            "b");  // U+FFFD
}

TEST(Decode, FillsDefaultsForOmittedOptionalFields) {
  auto decoded = [](const char* text) {
    const DecodeResult r = decode(text);
    EXPECT_TRUE(r.ok()) << text << " -> " << r.error.code << ": " << r.error.message;
    return r.value.value_or(Message{});
  };
  EXPECT_EQ(decoded(R"({"v":1,"type":"join","room":"lobby"})"),
            Message(Join{.room = "lobby", .history_limit = 50, .epoch = "", .after_seq = std::nullopt}));
  EXPECT_EQ(decoded(R"({"v":1,"type":"joined","room":"r","epoch":"e","head_seq":0,"history":[]})"),
            Message(Joined{.room = "r",
                           .epoch = "e",
                           .head_seq = 0,
                           .history = {},
                           .resume = Resume::none,
                           .more = false}));
  EXPECT_EQ(decoded(R"({"v":1,"type":"hello","name":"Ann"})"),
            Message(Hello{.name = "Ann", .client = "", .token = ""}));
  EXPECT_EQ(decoded(R"({"v":1,"type":"ack","room":"r","client_id":"c","seq":2})"),
            Message(Ack{.room = "r", .client_id = "c", .seq = 2, .duplicate = false}));
  EXPECT_EQ(decoded(R"({"v":1,"type":"error","code":"internal"})"),
            Message(Error{.code = "internal", .message = "", .ref = "", .retry_after_ms = 0}));
  EXPECT_EQ(decoded(R"({"v":1,"type":"message","message":{"room":"r","seq":1,"author":"A",)"
                    R"("kind":"user","text":"t","status":"complete","ts_ms":0}})"),
            Message(Posted{.message = ChatMessage{.room = "r",
                                                  .seq = 1,
                                                  .author = "A",
                                                  .kind = MessageKind::user,
                                                  .text = "t",
                                                  .client_id = "",
                                                  .gen_id = "",
                                                  .status = MessageStatus::complete,
                                                  .ts_ms = 0,
                                                  .ref = 0,
                     .data = ""}}));
}

TEST(Decode, IgnoresUnknownFieldsAndKeyOrder) {
  const DecodeResult r =
      decode(R"({"text":"hi","future":{"nested":[1,2]},"client_id":"c-1","room":"lobby",)"
             R"("type":"send","extra":null,"v":1})");
  ASSERT_TRUE(r.ok()) << r.error.message;
  EXPECT_EQ(*r.value, Message(Send{.room = "lobby", .client_id = "c-1", .text = "hi"}));
}

TEST(Decode, AcceptsWhiteSpaceAroundTokens) {
  const DecodeResult r = decode(" \n{ \"v\" : 1 ,\t\"type\" : \"ping\" , \"nonce\" : 3 }\r\n");
  ASSERT_TRUE(r.ok()) << r.error.message;
  EXPECT_EQ(*r.value, Message(Ping{.nonce = 3}));
}

TEST(Decode, DecodesEscapedCharacters) {
  const DecodeResult r = decode(
      R"({"v":1,"type":"send","room":"r","client_id":"c","text":"\u00e9\ud83c\udf89\n\u0000"})");
  ASSERT_TRUE(r.ok()) << r.error.message;
  EXPECT_EQ(std::get<Send>(*r.value).text, std::string("é🎉\n") + '\0');
}

TEST(Decode, ReportsTheTypeAndPathOfABadField) {
  const DecodeResult r =
      decode(R"({"v":1,"type":"send","room":"lobby","client_id":7,"text":"hi"})");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error.code, error_codes::bad_field);
  EXPECT_EQ(r.error.type, "send");
  EXPECT_EQ(r.error.message, "send.client_id: expected string");
}

TEST(Decode, NamesTheIndexOfABadHistoryEntry) {
  const DecodeResult r = decode(
      R"({"v":1,"type":"joined","room":"r","epoch":"e","head_seq":2,"history":[)"
      R"({"room":"r","seq":1,"author":"A","kind":"user","text":"t","status":"complete","ts_ms":0},)"
      R"({"room":"r","seq":-2,"author":"A","kind":"user","text":"t","status":"complete","ts_ms":0}]})");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error.code, error_codes::bad_field);
  EXPECT_EQ(r.error.message, "joined.history[1].seq: expected unsigned integer");
}

TEST(Decode, NamesTheNestedPathOfAPostedMessage) {
  const DecodeResult r =
      decode(R"({"v":1,"type":"message","message":{"room":"r","seq":1,"author":"A","kind":"robot",)"
             R"("text":"t","status":"complete","ts_ms":0}})");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error.code, error_codes::bad_field);
  EXPECT_EQ(r.error.message.rfind("message.message.kind: expected", 0), 0u) << r.error.message;
}

TEST(Decode, ReportsMissingFieldsByName) {
  const DecodeResult r = decode(R"({"v":1,"type":"send","room":"lobby","text":"hi"})");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error.code, error_codes::bad_field);
  EXPECT_EQ(r.error.message, "send.client_id: missing required field");
}

TEST(Decode, TypeIsEmptyWhenItCannotBeRead) {
  EXPECT_EQ(decode("nope").error.type, "");
  EXPECT_EQ(decode(R"({"v":1,"type":5})").error.type, "");
  EXPECT_EQ(decode(R"({"v":1,"type":"shout"})").error.type, "shout");
  EXPECT_EQ(decode(R"({"v":2,"type":"ping","nonce":1})").error.type, "ping");
}

TEST(Decode, AcceptsIntegerExtremes) {
  const DecodeResult r =
      decode(R"({"v":1,"type":"stream_started","room":"r","gen_id":"g","seq":18446744073709551615,)"
             R"("reply_to":0,"author":"Parley","ts_ms":-9223372036854775808})");
  ASSERT_TRUE(r.ok()) << r.error.message;
  const auto& s = std::get<StreamStarted>(*r.value);
  EXPECT_EQ(s.seq, 18446744073709551615u);
  EXPECT_EQ(s.ts_ms, std::numeric_limits<std::int64_t>::min());
}

}  // namespace
}  // namespace parley::protocol
