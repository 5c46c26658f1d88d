// How ChatMessage fields live in the messages table: enums as their wire words, empty
// optional ids as NULL.
#pragma once

#include <string>
#include <string_view>

#include "parley/protocol.hpp"

namespace SQLite {
class Column;
class Statement;
}  // namespace SQLite

namespace parley::history::rows {

// The columns read_message() expects, in order; for
// "SELECT <kMessageColumns> FROM messages m". An end event reads the text of the reply
// it ended, so the final text is stored once.
inline constexpr const char* kMessageColumns =
    "m.seq, m.author, m.kind, "
    "CASE WHEN m.kind = 'end' THEN COALESCE((SELECT r.text FROM messages r "
    "WHERE r.room_id = m.room_id AND r.seq = m.ref_seq), '') ELSE m.text END, "
    "m.client_id, m.gen_id, m.status, m.ts_ms, m.ref_seq, m.data";

const char* kind_text(protocol::MessageKind kind);
const char* status_text(protocol::MessageStatus status);
// Throw SQLite::Exception for a word the schema's CHECK constraints would have refused.
protocol::MessageKind kind_from_text(std::string_view text);
protocol::MessageStatus status_from_text(std::string_view text);
protocol::RoomType room_type_from_text(std::string_view text);
protocol::AssistantMode assistant_from_text(std::string_view text);
protocol::MemberRole role_from_text(std::string_view text);

// Binds "" as NULL so the unique client_id index ignores messages without one.
void bind_optional_text(SQLite::Statement& statement, int index, const std::string& value);
std::string optional_text(const SQLite::Column& column);

// The current row of a statement that selected kMessageColumns first.
protocol::ChatMessage read_message(const SQLite::Statement& row, const std::string& room);

}  // namespace parley::history::rows
