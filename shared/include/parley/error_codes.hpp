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
inline constexpr const char* invalid_target = "invalid_target";    // the message named can't be edited/regenerated
// Uploads (upload_init / upload_chunk / upload_finish) and documents.
inline constexpr const char* file_too_large = "file_too_large";    // over the server's upload size limit
inline constexpr const char* unsupported_type = "unsupported_type";  // a kind of file the server does not take
inline constexpr const char* invalid_file_name = "invalid_file_name";  // path tricks, control characters, too long
inline constexpr const char* out_of_order = "out_of_order";        // a chunk other than the next one expected
inline constexpr const char* checksum_mismatch = "checksum_mismatch";  // the file's SHA-256 is not the one given
inline constexpr const char* infected = "infected";                // the virus scanner found something
inline constexpr const char* scan_failed = "scan_failed";          // the virus scanner could not be asked
inline constexpr const char* bad_document = "bad_document";        // not readable as its type
// The assistant's provider (an OpenAI-compatible server) failed a generation.
inline constexpr const char* provider_unreachable = "provider_unreachable";
inline constexpr const char* provider_timeout = "provider_timeout";
inline constexpr const char* provider_error = "provider_error";    // it answered with an HTTP error
inline constexpr const char* provider_malformed = "provider_malformed";  // a stream we could not read
inline constexpr const char* provider_refused = "provider_refused";  // it sent an error in the stream

}  // namespace parley::error_codes
