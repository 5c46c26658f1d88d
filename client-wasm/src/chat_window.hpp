// The chat screen: header with room and connection banner, the room sidebar, the
// transcript, and the message field. Reads the model, returns intents; its own members only remember
// presentation (layout cache, scroll following, focus).
#pragma once

#include <cstdint>

#include "parley/client_model/app_model.hpp"
#include "room_sidebar.hpp"
#include "theme.hpp"
#include "transcript_layout.hpp"
#include "widget_rects.hpp"

namespace parley::web {

struct ChatWindow {
  Fonts fonts;
  TranscriptLayout layout;
  bool follow_bottom = true;  // the view sits at the newest message and stays there
  bool focus_input = true;
  std::uint32_t copy_entry = 0;  // the entry whose context menu is open
  WidgetRects widgets;
  RoomSidebar sidebar;

  void draw(const client::AppModel& model, client::Intents& intents);

 private:
  void draw_header(const client::AppModel& model, client::Intents& intents);
  void draw_error(const client::AppModel& model, client::Intents& intents);
  void draw_transcript(const client::AppModel& model);
  void draw_row(const TranscriptRow& row, float width, float row_h, std::int64_t now_ms);
  void draw_composer(const client::AppModel& model, client::Intents& intents);
};

}  // namespace parley::web
