// Input rules shared by client and server so both refuse the same inputs.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "parley/protocol.hpp"

namespace parley::validation {

inline constexpr std::size_t kMaxNameBytes = 32;
inline constexpr std::size_t kMaxRoomBytes = 64;
inline constexpr std::size_t kMaxTextBytes = 8000;
inline constexpr std::size_t kMaxClientIdBytes = 64;
inline constexpr std::size_t kMaxMessageBytes = 64 * 1024;  // one frame
inline constexpr unsigned kMaxHistoryLimit = 200;

// The outcome of a check: valid, or an error code (error_codes.hpp) and a reason.
struct Verdict {
  const char* code = nullptr;  // nullptr when valid
  std::string reason;
  explicit operator bool() const { return code == nullptr; }
};

bool is_valid_utf8(std::string_view s);
// The offset of the first byte that does not start a well-formed UTF-8 sequence, or
// std::string_view::npos when `s` is valid UTF-8.
std::size_t first_invalid_utf8(std::string_view s);
// Names (of users) compare without regard to ASCII case, as the server compares them.
bool same_name(std::string_view a, std::string_view b);

// 1..32 bytes of UTF-8, no control characters, not only white space; surrounding
// white space is not allowed.
// `max_bytes` lowers the ceiling (a server's configured limit).
Verdict check_name(std::string_view name, std::size_t max_bytes = kMaxNameBytes);
// 1..64 bytes of [a-z0-9_-], starting with a letter or digit.
Verdict check_room(std::string_view room, std::size_t max_bytes = kMaxRoomBytes);
// 1..8000 bytes of UTF-8, not only white space, no control characters except \n and \t.
Verdict check_text(std::string_view text, std::size_t max_bytes = kMaxTextBytes);
// 1..64 bytes of [A-Za-z0-9_-].
Verdict check_client_id(std::string_view id);
// An uploaded file's name: 1..255 bytes of UTF-8, a name and never a path — no '/', '\\',
// control characters, leading dot (hidden files, "." and ".."), leading or trailing
// white space, nor a ':' (drive letters, alternate streams). Code invalid_file_name.
inline constexpr std::size_t kMaxFileNameBytes = 255;
Verdict check_file_name(std::string_view name);
// The bounds of GenerationOptions (protocol.hpp): temperature 0..2, max_tokens 0..32768,
// system_prompt up to 4000 bytes of UTF-8, history 0..200, model up to 128 bytes.
Verdict check_options(const protocol::GenerationOptions& options);

}  // namespace parley::validation
