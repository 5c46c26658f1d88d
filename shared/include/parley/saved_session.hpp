// What a client keeps across a page reload: who it is, where it was in each room, and
// the sends the server has not acknowledged. Stored as JSON (the browser keeps it in
// localStorage); decoding never throws and refuses anything malformed as a whole.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace parley::client {

struct SavedPosition {
  std::string room;
  std::string epoch;
  std::uint64_t seq = 0;  // every event up to here was received
  friend bool operator==(const SavedPosition&, const SavedPosition&) = default;
};

struct SavedSend {
  std::string room;
  std::string client_id;
  std::string text;
  std::int64_t ts_ms = 0;
  std::uint64_t edits = 0;  // an edit of the message at this seq
  friend bool operator==(const SavedSend&, const SavedSend&) = default;
};

struct SavedSession {
  std::string user;
  std::string room;  // the room on screen ("" = the default)
  std::string token;  // the access token signed in with ("" for a bare name)
  std::vector<SavedPosition> positions;
  std::vector<SavedSend> outbox;  // in the order they were written
  friend bool operator==(const SavedSession&, const SavedSession&) = default;
};

// {"v":1,"user":...,"room":...,"positions":[{"room","epoch","seq"}],"outbox":[{"room","client_id",
// "text","ts_ms","edits"?}]}
std::string encode_saved(const SavedSession& s);
// nullopt when `json` is not a saved session of this version (the client then starts
// signed out, as on a first visit).
std::optional<SavedSession> decode_saved(std::string_view json);

}  // namespace parley::client
