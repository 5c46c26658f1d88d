#include "parley/client_model/app_model.hpp"

#include <utility>

namespace parley::client {
namespace {

std::string_view trim(std::string_view s) {
  const auto first = s.find_first_not_of(" \t\r\n");
  if (first == std::string_view::npos) return {};
  const auto last = s.find_last_not_of(" \t\r\n");
  return s.substr(first, last - first + 1);
}

}  // namespace

AppModel::AppModel(SessionOptions options, Session::IdGenerator next_id,
                   Session::Random01 random01, int tz_offset_minutes)
    : session_(std::move(options), std::move(next_id), std::move(random01)),
      tz_offset_minutes_(tz_offset_minutes) {}

void AppModel::apply(const Intents& intents) {
  if (intents.name_draft && *intents.name_draft != name_draft_) {
    name_draft_ = *intents.name_draft;
    refusal_.clear();
  }
  if (intents.message_draft && *intents.message_draft != message_draft_) {
    message_draft_ = *intents.message_draft;
    refusal_.clear();
  }
  if (intents.dismiss_error) session_.dismiss_error();
  if (intents.retry_now) session_.retry_now();
  if (intents.join && !session_.signed_in()) {
    validation::Verdict v = session_.start(trim(name_draft_));
    refusal_ = v ? std::string() : v.reason;
  }
  if (intents.send && session_.signed_in()) {
    validation::Verdict v = session_.send(message_draft_, now_ms_);
    if (v) {
      message_draft_.clear();
      refusal_.clear();
    } else {
      refusal_ = v.reason;
    }
  }
}

void AppModel::tick(std::int64_t now_ms) {
  now_ms_ = now_ms;
  session_.tick(now_ms);
}

Screen AppModel::screen() const {
  return session_.signed_in() ? Screen::chat : Screen::sign_in;
}

Banner AppModel::banner() const {
  Banner b;
  b.state = session_.connection();
  switch (b.state) {
    case ConnectionState::connected: b.text = "Connected"; break;
    case ConnectionState::connecting:
      b.text = session_.has_dropped() ? "Reconnecting…" : "Connecting…";
      break;
    case ConnectionState::disconnected: b.text = "Signed out"; break;
    case ConnectionState::offline: {
      const std::int64_t seconds = (session_.reconnect_in_ms(now_ms_) + 999) / 1000;
      b.text = seconds > 0 ? "Offline, trying again in " + std::to_string(seconds) + " s"
                           : "Offline, trying to reconnect…";
      b.show_retry = true;
      break;
    }
    case ConnectionState::reconnecting: {
      const std::int64_t ms = session_.reconnect_in_ms(now_ms_);
      const std::int64_t seconds = (ms + 999) / 1000;
      b.text = seconds > 0 ? "Connection lost, reconnecting in " + std::to_string(seconds) + " s"
                           : "Connection lost, reconnecting…";
      b.show_retry = true;
      break;
    }
  }
  return b;
}

ViewEntry AppModel::entry(std::size_t index) const {
  return make_view_entry(session_.transcript().entries().at(index), session_.user(),
                         tz_offset_minutes_);
}

}  // namespace parley::client
