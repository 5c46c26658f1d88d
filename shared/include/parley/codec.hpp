// Encoding and decoding of protocol messages. Decoding never throws (the client is
// built without exceptions): every failure is a DecodeError with a code from
// error_codes.hpp and a message that says where parsing failed, e.g.
// `message.seq: expected unsigned integer`.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "parley/protocol.hpp"

namespace parley::protocol {

struct DecodeError {
  std::string code;     // error_codes::bad_json, bad_envelope, unsupported_version,
                        // unknown_type, bad_field, bad_utf8
  std::string message;  // human-readable, names the failing path
  std::string type;     // the envelope's "type" when it could be read, else ""
};

struct DecodeResult {
  std::optional<Message> value;
  DecodeError error;
  bool ok() const { return value.has_value(); }
};

// One JSON object, compact, with "v" and "type" first.
std::string encode(const Message& m);

// The JSON object of a value as it appears inside frames, for other carriers of the same
// data (the REST API).
std::string json_of(const ChatMessage& m);
std::string json_of(const RoomSummary& m);
std::string json_of(const RoomDetails& m);
std::string json_of(const GenerationOptions& m);

// A GenerationOptions object as json_of writes it; nullopt when it is not one.
std::optional<GenerationOptions> options_of(std::string_view json);

// Parses one frame. Unknown fields are ignored (forward compatibility); unknown types,
// missing required fields and mistyped fields are errors.
DecodeResult decode(std::string_view text);

}  // namespace parley::protocol
