// Error codes carried by protocol::Error::code and DecodeError::code. Stable strings:
// clients switch on them. docs/protocol.md lists each with its meaning.
#pragma once

namespace parley::error_codes {

inline constexpr const char* bad_json = "bad_json";                // not a JSON object
inline constexpr const char* bad_envelope = "bad_envelope";        // "v"/"type" missing or mistyped
inline constexpr const char* unsupported_version = "unsupported_version";
inline constexpr const char* unknown_type = "unknown_type";        // "type" not in the protocol
inline constexpr const char* bad_field = "bad_field";              // required field missing/mistyped
inline constexpr const char* bad_utf8 = "bad_utf8";                // frame is not valid UTF-8
inline constexpr const char* too_large = "too_large";              // frame over max_message_bytes
inline constexpr const char* unexpected_type = "unexpected_type";  // valid, but not accepted here
inline constexpr const char* hello_required = "hello_required";    // first frame must be hello
inline constexpr const char* invalid_name = "invalid_name";        // user name refused by validation
inline constexpr const char* invalid_room = "invalid_room";        // room name refused by validation
inline constexpr const char* invalid_text = "invalid_text";        // message text refused by validation
inline constexpr const char* invalid_client_id = "invalid_client_id";
inline constexpr const char* not_joined = "not_joined";            // send to a room not joined
inline constexpr const char* overloaded = "overloaded";            // server busy, retry later
inline constexpr const char* internal = "internal";                // server fault; nothing stored
// Identity and access.
inline constexpr const char* token_missing = "token_missing";      // no token where one is required
inline constexpr const char* token_invalid = "token_invalid";      // malformed, bad signature, wrong issuer
inline constexpr const char* token_expired = "token_expired";      // past its exp claim
inline constexpr const char* token_algorithm = "token_algorithm";  // not HS256 (alg none included)
inline constexpr const char* bad_credentials = "bad_credentials";  // unknown account or wrong password
inline constexpr const char* forbidden = "forbidden";              // signed in, but not allowed
inline constexpr const char* not_found = "not_found";              // no such room (or not visible)
inline constexpr const char* conflict = "conflict";                // already exists
inline constexpr const char* rate_limited = "rate_limited";        // too much too fast; see retry_after
inline constexpr const char* limit_exceeded = "limit_exceeded";    // a configured count limit
inline constexpr const char* invalid_transition = "invalid_transition";  // conversation state change not allowed

}  // namespace parley::error_codes
