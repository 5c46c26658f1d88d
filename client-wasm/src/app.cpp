#include "app.hpp"

namespace parley::web {

void App::set_fonts(const Fonts& fonts) {
  sign_in.fonts = fonts;
  chat.fonts = fonts;
}

const WidgetRects& App::widgets() const {
  return last_screen == client::Screen::sign_in ? sign_in.widgets : chat.widgets;
}

void App::draw(const client::AppModel& model, client::Intents& intents) {
  const client::Screen screen = model.screen();
  if (screen != last_screen) {
    // Whichever screen appears gets the keyboard, so the user can type right away.
    sign_in.focus_name = screen == client::Screen::sign_in;
    chat.focus_input = screen == client::Screen::chat;
    last_screen = screen;
  }
  ImGui::PushFont(sign_in.fonts.regular);
  if (screen == client::Screen::sign_in) {
    sign_in.draw(model, intents);
  } else {
    chat.draw(model, intents);
  }
  ImGui::PopFont();
}

}  // namespace parley::web
