#include "parley/client_model/app_model.hpp"

#include "parley/client_model/snapshot_json.hpp"

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
    session_.set_typing(!trim(message_draft_).empty(), now_ms_);
  }
  if (intents.dismiss_error) session_.dismiss_error();
  if (intents.new_room_draft) new_room_draft_ = *intents.new_room_draft;
  if (intents.new_room_type) new_room_type_ = *intents.new_room_type;
  if (intents.create_room && session_.signed_in()) {
    validation::Verdict v = session_.create_room(trim(new_room_draft_), new_room_type_);
    if (v) {
      new_room_draft_.clear();
      refusal_.clear();
    } else {
      refusal_ = v.reason;
    }
  }
  if (intents.join_room && session_.signed_in()) {
    // Joining a shared room by name (or making it, when nobody has); a group room the
    // user is not in answers not_found and the user stays where they are.
    validation::Verdict v = session_.switch_room(trim(new_room_draft_));
    refusal_ = v ? std::string() : v.reason;
    if (v) {
      new_room_draft_.clear();
      message_draft_.clear();
      editing_seq_ = 0;
    }
  }
  if (intents.switch_room) {
    validation::Verdict v = session_.switch_room(*intents.switch_room);
    refusal_ = v ? std::string() : v.reason;
    if (v) {
      message_draft_.clear();
      editing_seq_ = 0;
    }
  }
  if (intents.leave_room) session_.leave_room();
  if (intents.stop_generation) session_.stop_generation(*intents.stop_generation);
  if (intents.regenerate) session_.regenerate(*intents.regenerate);
  if (intents.show_version) session_.show_version(intents.show_version->first, intents.show_version->second);
  if (intents.edit_message) {
    // The message's text goes into the field; Send then sends it as a new version.
    if (const Entry* e = session_.transcript().find_seq(*intents.edit_message)) {
      editing_seq_ = e->seq;
      message_draft_ = e->text;
      refusal_.clear();
    }
  }
  if (intents.delete_document) session_.delete_document(*intents.delete_document);
  if (intents.component_value || intents.component_action) {
    const auto c = pending_component();
    if (c && c->seq != component_seq_) {
      component_seq_ = c->seq;
      component_drafts_.clear();
    }
    if (c && intents.component_value) component_drafts_[intents.component_value->first] = intents.component_value->second;
    if (c && intents.component_action) {
      const auto now = pending_component();  // with the edit above
      const bool submit = *intents.component_action == "submit";
      if (submit && !missing_fields(*now).empty()) {
        refusal_ = "fill in: " + missing_fields(*now);
      } else {
        std::string values = "{";
        if (submit) {
          for (const auto& f : now->fields) {
            if (values.size() > 1) values += ',';
            values += json_quote(f.name) + ":" + json_quote(f.value);
          }
        }
        values += "}";
        session_.submit_component(now->seq, *intents.component_action, std::move(values));
        component_drafts_.clear();
        refusal_.clear();
      }
    }
  }
  if (intents.cancel_edit) {
    editing_seq_ = 0;
    message_draft_.clear();
  }
  if (intents.load_older) session_.load_older(validation::kMaxHistoryLimit);
  if (intents.invite_draft) invite_draft_ = *intents.invite_draft;
  if (intents.invite_role) invite_role_ = *intents.invite_role;
  if (intents.invite) {
    if (auto v = validation::check_name(invite_draft_); !v) {
      refusal_ = v.reason;
    } else {
      session_.invite(invite_draft_, invite_role_);
      invite_draft_.clear();
      refusal_.clear();
    }
  }
  if (intents.remove_member) session_.remove_member(*intents.remove_member);
  if (intents.set_role) session_.invite(intents.set_role->user, intents.set_role->role);
  if (intents.set_assistant) session_.set_assistant(*intents.set_assistant);
  if (intents.delete_room) session_.delete_room();
  if (intents.retry_now) session_.retry_now();
  if (intents.password_draft) password_draft_ = *intents.password_draft;
  if ((intents.join || intents.create_account) && !session_.signed_in() && !signing_in_) {
    const std::string name(trim(name_draft_));
    validation::Verdict v = validation::check_name(name);
    if (!v) {
      refusal_ = v.reason;
    } else if (intents.create_account && password_draft_.size() < 8) {
      refusal_ = "an account needs a password of at least 8 characters";
    } else if (intents.create_account || !password_draft_.empty()) {
      // An account: the platform asks the server for a token first.
      login_request_ = LoginRequest{name, password_draft_, intents.create_account};
      signing_in_ = true;
      refusal_.clear();
    } else {
      // Just a name (the server's development login).
      v = session_.start(name);
      refusal_ = v ? std::string() : v.reason;
    }
  }
  if (intents.send && session_.signed_in()) {
    validation::Verdict v = session_.send(message_draft_, now_ms_, editing_seq_);
    if (v) {
      message_draft_.clear();
      editing_seq_ = 0;
      refusal_.clear();
      session_.set_typing(false, now_ms_);
    } else {
      refusal_ = v.reason;
    }
  }
}

std::optional<ComponentView> AppModel::pending_component() const {
  const auto& entries = session_.transcript().entries();
  for (auto it = entries.rbegin(); it != entries.rend(); ++it) {
    if (it->kind != protocol::MessageKind::assistant || it->hidden || it->component.empty()) continue;
    if (it->answered || it->status == protocol::MessageStatus::streaming) return std::nullopt;
    static const std::map<std::string, std::string> kNone;
    return make_component_view(*it, it->seq == component_seq_ ? component_drafts_ : kNone);
  }
  return std::nullopt;
}

void AppModel::file_chosen(const std::string& name, const std::string& media_type,
                           std::string bytes) {
  const validation::Verdict v = session_.upload(name, media_type, std::move(bytes));
  refusal_ = v ? std::string() : v.reason;
}

std::optional<LoginRequest> AppModel::take_login_request() {
  return std::exchange(login_request_, std::nullopt);
}

void AppModel::login_result(bool ok, const std::string& user, const std::string& token,
                            const std::string& error) {
  signing_in_ = false;
  password_draft_.clear();
  if (!ok) {
    refusal_ = error.empty() ? "sign-in failed" : error;
    return;
  }
  const validation::Verdict v = session_.start(user, token);
  refusal_ = v ? std::string() : v.reason;
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

std::string AppModel::typing_line() const {
  const auto who = session_.signals().typing_users();
  if (who.empty()) return {};
  if (who.size() == 1) return who[0] + " is typing…";
  if (who.size() == 2) return who[0] + " and " + who[1] + " are typing…";
  return std::to_string(who.size()) + " people are typing…";
}

std::string AppModel::online_line() const {
  const auto who = session_.signals().online();
  if (who.empty()) return {};
  return std::to_string(who.size()) + " online";
}

bool AppModel::can_manage_room() const {
  const auto role = session_.role();
  return role && (*role == protocol::MemberRole::owner || *role == protocol::MemberRole::admin);
}

ViewEntry AppModel::entry(std::size_t index) const {
  ViewEntry v = make_view_entry(session_.transcript().entries().at(index), session_.user(),
                         tz_offset_minutes_);
  if (v.own && v.badge == Badge::sent) {
    const auto readers = session_.signals().read_by(v.seq, session_.user());
    if (!readers.empty()) {
      v.badge = Badge::read;
      v.badge_text = readers.size() == 1 ? "read by " + readers[0]
                                         : "read by " + std::to_string(readers.size());
    }
  }
  return v;
}

}  // namespace parley::client
