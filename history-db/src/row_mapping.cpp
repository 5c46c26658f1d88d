#include "row_mapping.hpp"

#include <SQLiteCpp/Column.h>
#include <SQLiteCpp/Exception.h>
#include <SQLiteCpp/Statement.h>

namespace parley::history::rows {

using protocol::MessageKind;
using protocol::MessageStatus;

const char* kind_text(MessageKind kind) {
  switch (kind) {
    case MessageKind::user: return "user";
    case MessageKind::assistant: return "assistant";
    case MessageKind::system: return "system";
    case MessageKind::end: return "end";
    case MessageKind::step: return "step";
  }
  return "user";
}

const char* status_text(MessageStatus status) {
  switch (status) {
    case MessageStatus::complete: return "complete";
    case MessageStatus::streaming: return "streaming";
    case MessageStatus::interrupted: return "interrupted";
    case MessageStatus::stopped: return "stopped";
    case MessageStatus::error: return "error";
  }
  return "complete";
}

MessageKind kind_from_text(std::string_view text) {
  if (text == "user") return MessageKind::user;
  if (text == "assistant") return MessageKind::assistant;
  if (text == "system") return MessageKind::system;
  if (text == "end") return MessageKind::end;
  if (text == "step") return MessageKind::step;
  throw SQLite::Exception("unknown message kind in history database: " + std::string(text));
}

MessageStatus status_from_text(std::string_view text) {
  if (text == "complete") return MessageStatus::complete;
  if (text == "streaming") return MessageStatus::streaming;
  if (text == "interrupted") return MessageStatus::interrupted;
  if (text == "stopped") return MessageStatus::stopped;
  if (text == "error") return MessageStatus::error;
  throw SQLite::Exception("unknown message status in history database: " + std::string(text));
}

namespace {

// The enum whose wire word is `text`; throws for a word the schema's CHECK constraints
// would have refused.
template <class E, std::size_t N>
E from_word(std::string_view text, const E (&all)[N], const char* what) {
  for (E e : all)
    if (text == protocol::to_string(e)) return e;
  throw SQLite::Exception(std::string("unknown ") + what + " in history database: " +
                          std::string(text));
}

}  // namespace

protocol::RoomType room_type_from_text(std::string_view text) {
  static constexpr protocol::RoomType kAll[] = {
      protocol::RoomType::private_, protocol::RoomType::shared, protocol::RoomType::group};
  return from_word(text, kAll, "room type");
}

protocol::AssistantMode assistant_from_text(std::string_view text) {
  static constexpr protocol::AssistantMode kAll[] = {protocol::AssistantMode::always,
                                                     protocol::AssistantMode::mention,
                                                     protocol::AssistantMode::off};
  return from_word(text, kAll, "assistant mode");
}

protocol::MemberRole role_from_text(std::string_view text) {
  static constexpr protocol::MemberRole kAll[] = {
      protocol::MemberRole::owner, protocol::MemberRole::admin, protocol::MemberRole::member};
  return from_word(text, kAll, "member role");
}

void bind_optional_text(SQLite::Statement& statement, int index, const std::string& value) {
  if (value.empty()) {
    statement.bind(index);
  } else {
    statement.bind(index, value);
  }
}

std::string optional_text(const SQLite::Column& column) {
  return column.isNull() ? std::string() : column.getString();
}

protocol::ChatMessage read_message(const SQLite::Statement& row, const std::string& room) {
  protocol::ChatMessage m;
  m.room = room;
  m.seq = static_cast<std::uint64_t>(row.getColumn(0).getInt64());
  m.author = row.getColumn(1).getString();
  m.kind = kind_from_text(row.getColumn(2).getText());
  m.text = row.getColumn(3).getString();
  m.client_id = optional_text(row.getColumn(4));
  m.gen_id = optional_text(row.getColumn(5));
  m.status = status_from_text(row.getColumn(6).getText());
  m.ts_ms = row.getColumn(7).getInt64();
  const SQLite::Column ref = row.getColumn(8);
  m.ref = ref.isNull() ? 0 : static_cast<std::uint64_t>(ref.getInt64());
  m.data = optional_text(row.getColumn(9));
  return m;
}

}  // namespace parley::history::rows
