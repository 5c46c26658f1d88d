// The whole UI: chooses the screen for the model's state and draws it.
#pragma once

#include "chat_window.hpp"
#include "parley/client_model/app_model.hpp"
#include "sign_in_window.hpp"
#include "theme.hpp"

namespace parley::web {

struct App {
  SignInWindow sign_in;
  ChatWindow chat;
  client::Screen last_screen = client::Screen::sign_in;

  void set_fonts(const Fonts& fonts);
  void draw(const client::AppModel& model, client::Intents& intents);
  // The current screen's widget positions (see WidgetRects).
  const WidgetRects& widgets() const;
};

}  // namespace parley::web
