// The chat screen: header with room and connection banner, the room sidebar, the
// transcript, and the message field. Reads the model, returns intents; its own members only remember
// presentation (layout cache, scroll following, focus).
#pragma once

#include <cstdint>
#include <limits>
#include <string>

#include "parley/client_model/app_model.hpp"
#include "parley/client_model/transcript_layout.hpp"
#include "room_sidebar.hpp"
#include "theme.hpp"
#include "widget_rects.hpp"

namespace parley::web {

// What the transcript view shows, for the page's state snapshot (tests check that the
// view stays on the same messages while older history is put in front).
struct TranscriptView {
  std::uint64_t first_seq = 0;  // the first and last stored messages with a row on screen
  std::uint64_t last_seq = 0;
  float scroll_y = 0.0f;
  float scroll_max_y = 0.0f;
  std::size_t rows = 0;
  std::size_t entries_wrapped = 0;  // by the last layout update that changed anything
  std::string to_json() const;
};

struct ChatWindow {
  Fonts fonts;
  client::TranscriptLayout layout;
  bool follow_bottom = true;  // the view sits at the newest message and stays there
  bool focus_input = true;
  std::uint32_t copy_entry = 0;  // the entry whose context menu is open
  WidgetRects widgets;
  RoomSidebar sidebar;
  TranscriptView view;

  void draw(const client::AppModel& model, client::Intents& intents);

 private:
  void draw_header(const client::AppModel& model, client::Intents& intents);
  void draw_error(const client::AppModel& model, client::Intents& intents);
  // Before the transcript's child window: brings the layout up to date and tells ImGui
  // the content's height (and the scroll that keeps the view in place when older
  // history was put in front), so this frame already draws the right rows.
  void layout_transcript(const client::AppModel& model);
  void draw_transcript(const client::AppModel& model, client::Intents& intents);
  void draw_top_row(const client::AppModel& model, float width, float row_h);
  void draw_row(const client::AppModel& model, const client::TranscriptRow& row, float width,
                float row_h, client::Intents& intents);
  const client::ViewEntry& view_entry(const client::AppModel& model, std::uint32_t entry);

  float row_w_ = 0.0f;
  float row_h_ = 0.0f;
  bool layout_changed_ = false;
  float last_scroll_y_ = 0.0f;
  // Rows of one entry follow each other: one entry's view is made once per frame.
  std::uint32_t cached_entry_ = std::numeric_limits<std::uint32_t>::max();
  client::ViewEntry cached_view_;
  std::uint64_t last_editing_seq_ = 0;
  // The sources list: the reply whose sources are open, and the one selected.
  void draw_sources(const client::AppModel& model);
  std::uint64_t sources_seq_ = 0;
  std::size_t selected_source_ = 0;
  bool open_sources_ = false;
  void draw_composer(const client::AppModel& model, client::Intents& intents);
  // The assistant's newest unanswered component (a form or buttons) above the composer.
  void draw_component(const client::AppModel& model, client::Intents& intents);
  float component_height(const client::AppModel& model) const;
  // The per-message options panel under the typing line.
  void draw_options(const client::AppModel& model, client::Intents& intents);
};

}  // namespace parley::web
