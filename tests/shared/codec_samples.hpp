// One or more sample values of every protocol message, shared by the codec tests.
#pragma once

#include <cstdint>
#include <limits>
#include <ostream>
#include <string>
#include <vector>

#include "parley/codec.hpp"
#include "parley/protocol.hpp"

namespace parley::protocol {

// GoogleTest prints parameters and failed comparisons in their wire form.
inline void PrintTo(const Message& m, std::ostream* os) { *os << encode(m); }

}  // namespace parley::protocol

namespace parley::protocol::samples {

inline Document sample_document() {
  return Document{.id = 7, .room = "lobby", .name = "notes.md", .media_type = "text/markdown",
                  .kind = "markdown", .size = 1234, .sha256 = std::string(64, 'f'),
                  .uploader = "Zoë", .ts_ms = 1'700'000'000'999, .state = "failed",
                  .progress = 40, .passages = 0, .error = "bad_document: not UTF-8"};
}

inline ChatMessage user_message() {
  return ChatMessage{.room = "lobby",
                     .seq = 41,
                     .author = "Zoë",
                     .kind = MessageKind::user,
                     .text = "Grüße — привет 你好 🎉",
                     .client_id = "c-7f3a",
                     .gen_id = "",
                     .status = MessageStatus::complete,
                     .ts_ms = 1'700'000'000'123,
                     .ref = 0,
                     .data = ""};
}

inline ChatMessage streaming_reply() {
  return ChatMessage{.room = "lobby",
                     .seq = 42,
                     .author = "Parley",
                     .kind = MessageKind::assistant,
                     .text = "Thinking \"aloud\"\\\n\tso far",
                     .client_id = "",
                     .gen_id = "g-12",
                     .status = MessageStatus::streaming,
                     .ts_ms = 1'700'000'000'456,
                     .ref = 0,
                     .data = ""};
}

inline ChatMessage system_notice() {
  return ChatMessage{.room = "lobby",
                     .seq = 43,
                     .author = "",
                     .kind = MessageKind::system,
                     .text = "stopped",
                     .client_id = "",
                     .gen_id = "g-11",
                     .status = MessageStatus::interrupted,
                     .ts_ms = -1,
                     .ref = 0,
                     .data = ""};
}

inline ChatMessage reply_end() {
  return ChatMessage{.room = "lobby",
                     .seq = 44,
                     .author = "Parley",
                     .kind = MessageKind::end,
                     .text = "Thinking \"aloud\"\\\n\tso far, and done",
                     .client_id = "",
                     .gen_id = "g-12",
                     .status = MessageStatus::complete,
                     .ts_ms = 1'700'000'000'789,
                     .ref = 42,
                     .data = ""};
}

// A tool run of the reply at 42, its details as a JSON object.
inline ChatMessage tool_step() {
  return ChatMessage{.room = "lobby",
                     .seq = 43,
                     .author = "Parley",
                     .kind = MessageKind::step,
                     .text = "calculator: 2*(3+4) = 14",
                     .client_id = "",
                     .gen_id = "g-12",
                     .status = MessageStatus::stopped,
                     .ts_ms = 1'700'000'000'700,
                     .ref = 42,
                     .data = R"j({"arguments":{"expression":"2*(3+4)"},"name":"calculator","result":"14","step":"tool"})j"};
}

inline RoomSummary team_room() {
  return RoomSummary{.room = "team-7",
                     .type = RoomType::group,
                     .owner = "ann",
                     .assistant = AssistantMode::mention,
                     .role = MemberRole::owner,
                     .epoch = "00ff00ff00ff00ff",
                     .head_seq = 12,
                     .read_seq = 9,
                     .unread = 2};
}

// Every alternative at least once, plus edge values (empty history, extreme integers,
// escapes and non-ASCII text).
inline std::vector<Message> all() {
  constexpr auto u64_max = std::numeric_limits<std::uint64_t>::max();
  constexpr auto u32_max = std::numeric_limits<std::uint32_t>::max();
  constexpr auto i64_min = std::numeric_limits<std::int64_t>::min();
  return {
      Hello{.name = "Zoë", .client = "parley-web/0.1", .token = ""},
      Hello{.name = "Ann", .client = "", .token = "eyJhbGciOiJIUzI1NiJ9.e30.c2ln"},
      Auth{.token = "eyJhbGciOiJIUzI1NiJ9.e30.c2ln"},
      Authed{.user = "Ann", .role = "user", .expires_at = 1'800'000'000},
      Join{.room = "lobby", .history_limit = 50, .epoch = "", .after_seq = std::nullopt},
      Join{.room = "dev-ops_2", .history_limit = 0, .epoch = "", .after_seq = std::nullopt},
      Join{.room = "x", .history_limit = u32_max, .epoch = "", .after_seq = std::nullopt},
      Join{.room = "lobby", .history_limit = 0, .epoch = "9f3c2a1b0d4e5f60", .after_seq = 0},
      Join{.room = "lobby", .history_limit = 50, .epoch = "e-2", .after_seq = u64_max},
      Send{.room = "lobby", .client_id = "c-1", .text = "hi"},
      Send{.room = "lobby",
           .client_id = "c-3",
           .text = "what is 2+2?",
           .options = GenerationOptions{.model = "parley-builtin-1",
                                        .temperature = 0.25,
                                        .max_tokens = 64,
                                        .system_prompt = "Answer briefly.",
                                        .history = 0u}},
      Send{.room = "lobby", .client_id = "c-4", .text = "hi", .options = GenerationOptions{}},
      Send{.room = "lobby",
           .client_id = "c-2",
           .text = std::string("quote \" backslash \\ nul ") + '\0' + " ctrl \x01 end"},
      Ping{.nonce = 0},
      Ping{.nonce = u64_max},
      Welcome{.user = "Zoë",
              .server = "parley/0.1.0",
              .heartbeat_ms = 15000,
              .max_message_bytes = 65536,
              .max_text_bytes = 2000},
      Joined{.room = "empty",
             .epoch = "e-1",
             .head_seq = 0,
             .history = {},
             .resume = Resume::none,
             .more = false},
      Joined{.room = "lobby",
             .epoch = "e-2",
             .head_seq = 44,
             .history = {user_message(), streaming_reply(), system_notice(), tool_step(),
                         reply_end()},
             .resume = Resume::ok,
             .more = true},
      Joined{.room = "lobby",
             .epoch = "e-3",
             .head_seq = 7,
             .history = {},
             .resume = Resume::reset,
             .more = false},
      Ack{.room = "lobby", .client_id = "c-1", .seq = 41, .duplicate = false},
      Ack{.room = "lobby", .client_id = "c-1", .seq = u64_max, .duplicate = true},
      Posted{.message = user_message()},
      Posted{.message = streaming_reply()},
      Posted{.message = reply_end()},
      StreamStarted{.room = "lobby",
                    .gen_id = "g-12",
                    .seq = 42,
                    .reply_to = 41,
                    .author = "Parley",
                    .ts_ms = i64_min},
      StreamDelta{.room = "lobby", .gen_id = "g-12", .offset = 9, .text = "ünï 🎉"},
      StreamDelta{.room = "lobby", .gen_id = "g-12", .offset = 0, .text = ""},
      StreamCompleted{.room = "lobby",
                      .gen_id = "g-12",
                      .seq = 43,
                      .reply_seq = 42,
                      .text = "Done.",
                      .status = MessageStatus::complete,
                      .data = R"j({"completion_tokens":1,"duration_ms":120,"model":"parley-builtin-1","prompt_tokens":5})j"},
      StreamCompleted{.room = "lobby",
                      .gen_id = "g-13",
                      .seq = 46,
                      .reply_seq = 44,
                      .text = "Half",
                      .status = MessageStatus::interrupted,
                      .data = ""},
      Error{.code = "bad_field",
            .message = "send.text: expected string",
            .ref = "send",
            .retry_after_ms = 0},
      Error{.code = "internal", .message = "", .ref = "", .retry_after_ms = 0},
      Error{.code = "rate_limited", .message = "slow down", .ref = "c-9", .retry_after_ms = 1500},
      Pong{.nonce = 123456789},
      CreateRoom{.room = "team-7", .room_type = RoomType::group, .assistant = AssistantMode::mention},
      CreateRoom{.room = "notes", .room_type = RoomType::private_, .assistant = AssistantMode::off},
      Leave{.room = "lobby"},
      Unsubscribe{.room = "lobby"},
      Unsubscribed{.room = "lobby"},
      StopGeneration{.room = "lobby", .gen_id = "g-12"},
      Regenerate{.room = "lobby", .seq = 42},
      ComponentSubmit{.room = "lobby", .seq = 42, .action = "submit",
                      .values = R"j({"text":"water the plants","when":"2026-12-02 15:00"})j"},
      ComponentSubmit{.room = "lobby", .seq = 43, .action = "cancel", .values = "{}"},
      UploadInit{.room = "lobby", .upload_id = "u-1", .file_name = "Übersicht 2026.pdf",
                 .file_size = 1'048'577, .media_type = "application/pdf"},
      UploadReady{.upload_id = "u-1", .next_chunk = 3, .chunk_bytes = 32768, .total_chunks = 33},
      UploadChunk{.upload_id = "u-1", .index = 3, .data = "aGVsbG8="},
      UploadProgress{.upload_id = "u-1", .next_chunk = 4, .received_bytes = 131072},
      UploadFinish{.upload_id = "u-1", .sha256 = std::string(64, 'a')},
      UploadDone{.upload_id = "u-1", .document = sample_document()},
      ListDocuments{.room = "lobby"},
      DocumentList{.room = "lobby", .documents = {sample_document(), Document{}}},
      DocumentUpdate{.document = sample_document()},
      DeleteDocument{.room = "lobby", .document_id = 7},
      DocumentDeleted{.room = "lobby", .document_id = 7},
      Regenerate{.room = "lobby",
                 .seq = 42,
                 .options = GenerationOptions{.model = "", .temperature = 1.5, .max_tokens = 20,
                                              .system_prompt = "", .history = 0}},
      Send{.room = "lobby", .client_id = "c-9", .text = "fixed", .options = std::nullopt, .edits = 41},
      StateChangeRequest{.room = "lobby", .state = "listening", .reason = "user_started_speaking"},
      StateUpdate{.room = "lobby",
                  .state = "listening",
                  .previous = "idle",
                  .user = "Zoë",
                  .reason = "user_started_speaking",
                  .ts_ms = 1'700'000'000'999},
      TranscriptUpdate{.room = "lobby",
                       .user = "Zoë",
                       .interim = "hello ho",
                       .final_text = "hello how are you",
                       .confidence = 0.95},
      SpeechEvent{.room = "lobby", .user = "Zoë", .event = "speech_start", .data = R"j({"volume":0.8})j"},
      FetchHistory{.room = "lobby", .before_seq = 4001, .limit = 200},
      HistoryPage{.room = "lobby",
                  .epoch = "e-2",
                  .before_seq = 45,
                  .messages = {user_message(), streaming_reply(), system_notice(), reply_end()},
                  .more = true},
      HistoryPage{.room = "lobby", .epoch = "e-2", .before_seq = 1, .messages = {}, .more = false},
      DeleteRoom{.room = "team-7"},
      ListRooms{},
      GetRoom{.room = "team-7"},
      Invite{.room = "team-7", .user = "Zoë", .role = MemberRole::admin},
      RemoveMember{.room = "team-7", .user = "bob"},
      SetAssistant{.room = "team-7", .assistant = AssistantMode::always},
      RoomDetails{.summary = team_room(), .members = {{"ann", MemberRole::owner},
                                                      {"Zoë", MemberRole::admin},
                                                      {"bob", MemberRole::member}}},
      RoomList{.rooms = {}},
      RoomList{.rooms = {team_room(),
                         RoomSummary{.room = "lobby",
                                     .type = RoomType::shared,
                                     .owner = "",
                                     .assistant = AssistantMode::always,
                                     .role = MemberRole::member,
                                     .epoch = "e-1",
                                     .head_seq = u64_max,
                                     .read_seq = 0,
                                     .unread = 0}}},
      Left{.room = "lobby"},
      RoomDeleted{.room = "team-7"},
      MemberChanged{.room = "team-7", .user = "bob", .role = MemberRole::member, .removed = true},
      Typing{.room = "lobby", .user = "", .active = true},
      Typing{.room = "lobby", .user = "Parley", .active = false},
      Mark{.room = "lobby", .delivered = 44, .read = 41},
      Present{.room = "lobby", .users = {}},
      Present{.room = "lobby", .users = {"ann", "Zoë"}},
      Presence{.room = "lobby", .user = "Zoë", .online = false},
      Receipt{.room = "lobby", .user = "ann", .delivered = 44, .read = 44},
  };
}

}  // namespace parley::protocol::samples
