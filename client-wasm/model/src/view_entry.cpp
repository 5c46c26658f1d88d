#include "parley/client_model/view_entry.hpp"

#include <cstdio>

namespace parley::client {

std::string format_clock(std::int64_t ts_ms, int tz_offset_minutes) {
  if (ts_ms <= 0) return {};
  constexpr std::int64_t kDay = 24 * 60;
  std::int64_t minutes = ts_ms / 60000 + tz_offset_minutes;
  minutes = ((minutes % kDay) + kDay) % kDay;
  char buf[8];
  std::snprintf(buf, sizeof buf, "%02d:%02d", static_cast<int>(minutes / 60),
                static_cast<int>(minutes % 60));
  return buf;
}

ViewEntry make_view_entry(const Entry& e, const std::string& self, int tz_offset_minutes) {
  ViewEntry v;
  v.seq = e.seq;
  v.author = e.author;
  v.text = shown_text(e);
  v.time = format_clock(e.ts_ms, tz_offset_minutes);
  v.assistant = e.kind == protocol::MessageKind::assistant;
  v.own = !v.assistant && e.author == self;
  v.gen_id = e.gen_id;
  v.sources = e.sources.size();
  v.version = e.version;
  v.versions = e.versions;
  v.can_regenerate = v.assistant && e.ref != 0 && e.seq != 0 &&
                     e.status != protocol::MessageStatus::streaming;
  v.can_edit = v.own && !e.pending() && e.kind == protocol::MessageKind::user;

  if (v.assistant) {
    if (e.status == protocol::MessageStatus::streaming) {
      v.badge = Badge::streaming;
      v.badge_text = "typing…";
    } else if (e.status == protocol::MessageStatus::interrupted) {
      v.badge = Badge::interrupted;
      v.badge_text = "interrupted";
    } else if (e.status == protocol::MessageStatus::stopped) {
      v.badge = Badge::stopped;
      v.badge_text = "stopped";
    } else if (e.status == protocol::MessageStatus::error) {
      v.badge = Badge::failed;
      v.badge_text = "failed";
    } else if (e.status == protocol::MessageStatus::complete && e.completion_tokens > 0) {
      // How the reply went: "42 tokens · 1.9 s".
      char seconds[32];
      std::snprintf(seconds, sizeof seconds, "%.1f s", static_cast<double>(e.duration_ms) / 1000.0);
      v.badge_text = std::to_string(e.completion_tokens) + " tokens \u00B7 " + seconds;
    }
    if (e.needs_refresh && v.badge == Badge::streaming) {
      v.badge = Badge::incomplete;
      v.badge_text = "incomplete, refreshing on reconnect";
    }
    return v;
  }
  switch (e.delivery) {
    case Delivery::none: break;
    case Delivery::sending:
      v.badge = Badge::sending;
      v.badge_text = "sending…";
      break;
    case Delivery::sent:
      v.badge = Badge::sent;
      v.badge_text = "sent";
      break;
    case Delivery::failed:
      v.badge = Badge::failed;
      v.badge_text = e.failure.empty() ? "failed" : "failed: " + e.failure;
      break;
  }
  return v;
}

}  // namespace parley::client
