// The first screen: pick a display name and join.
#pragma once

#include <string>

#include "parley/client_model/app_model.hpp"
#include "theme.hpp"
#include "widget_rects.hpp"

namespace parley::web {

struct SignInWindow {
  Fonts fonts;
  bool focus_name = true;  // put the caret in the name field when the screen appears
  WidgetRects widgets;
  std::string password_;  // what the password field shows
  float card_height = 0.0f;  // measured last frame, so the card hugs its content

  void draw(const client::AppModel& model, client::Intents& intents);
};

}  // namespace parley::web
