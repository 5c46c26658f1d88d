// One transcript row as the UI draws it: labels are decided here, not in draw code.
#pragma once

#include <cstdint>
#include <string>

#include "parley/room_transcript.hpp"

namespace parley::client {

enum class Badge { none, sending, sent, read, failed, streaming, interrupted, incomplete, stopped };

struct ViewEntry {
  std::uint64_t seq = 0;
  std::string author;
  std::string text;
  std::string time;  // "HH:MM" in the user's time zone, "" when unknown
  bool own = false;
  bool assistant = false;
  Badge badge = Badge::none;
  std::string badge_text;  // e.g. "sending…", "failed: text is empty"
  std::string gen_id;      // an assistant reply's generation (to stop it)
  // Versions (an edited message, a regenerated reply): "2/3" with arrows when > 1.
  std::uint32_t version = 0;
  std::uint32_t versions = 0;
  bool can_regenerate = false;  // an ended reply to a message
  bool can_edit = false;        // the user's own stored message
  std::size_t sources = 0;      // passages the reply's sources steps listed
};

// `self` is the signed-in user's name; `tz_offset_minutes` is added to UTC.
ViewEntry make_view_entry(const Entry& e, const std::string& self, int tz_offset_minutes);

// "HH:MM" of a Unix time in milliseconds shifted by the offset; "" for 0.
std::string format_clock(std::int64_t ts_ms, int tz_offset_minutes);

}  // namespace parley::client
