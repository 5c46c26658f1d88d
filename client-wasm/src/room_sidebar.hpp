// The sidebar: the user's rooms with unread counts, a field to create a room (shared,
// group or private), the current room's members with who is online, and its documents
// with an upload button and the uploads' progress.
#pragma once

#include "parley/client_model/app_model.hpp"
#include "parley/client_model/intents.hpp"
#include "theme.hpp"
#include "widget_rects.hpp"

namespace parley::web {

struct RoomSidebar {
  void draw(const client::AppModel& model, client::Intents& intents, WidgetRects& widgets,
            const Fonts& fonts);

 private:
  void draw_documents(const client::AppModel& model, client::Intents& intents,
                      WidgetRects& widgets, const Fonts& fonts);
};

}  // namespace parley::web
