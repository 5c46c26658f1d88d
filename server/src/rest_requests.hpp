// What the REST endpoints read from a request: JSON bodies and query strings, checked
// as strictly as WebSocket frames. A body is the matching frame's fields without the
// envelope and goes through the same decoder, so a field of the wrong type is refused
// with the same `bad_field` code and path ("room_type: expected string"). Pure functions
// of their input, so every one of them is fuzzed.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

#include "parley/protocol.hpp"

namespace parley::server {

// A refused request: the HTTP status and the protocol's error code.
struct RestError {
  unsigned status = 400;
  std::string code;
  std::string message;
};

template <class T>
using RestParse = std::variant<T, RestError>;

struct Credentials {
  std::string name;
  std::string password;
};

// Which page of a room's history: `after` or `before` a seq (never both), or the newest.
struct PageQuery {
  std::uint32_t limit = 50;
  std::optional<std::uint64_t> after;
  std::optional<std::uint64_t> before;
};

// POST /api/v1/token and /api/v1/accounts: {"name", "password"}; both optional strings.
RestParse<Credentials> parse_credentials(std::string_view body);

// POST /api/v1/rooms: {"room", "room_type"?, "assistant"?} as in create_room.
RestParse<protocol::CreateRoom> parse_create_room(std::string_view body);

// POST /api/v1/rooms/{room}/messages and /api/v1/channels/{room}/publish: the fields of
// a send ("client_id", "text", "options"?, "edits"?); the room comes from the path.
RestParse<protocol::Send> parse_send(std::string_view body, const std::string& room);

// GET /api/v1/rooms/{room}/messages?limit=&after=&before=: decimal numbers only;
// limit 1..200 (default 50); a key given twice, a value that is not a number in range,
// or both after and before are bad_field.
RestParse<PageQuery> parse_page_query(std::string_view query);

}  // namespace parley::server
