#include "parley/client_model/app_model.hpp"

#include <cstdlib>

#include "parley/client_model/snapshot_json.hpp"
#include "parley/error_codes.hpp"

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
  if (intents.toggle_options) options_open_ = !options_open_;
  if (intents.option_value) option_drafts_[intents.option_value->first] = intents.option_value->second;
  if (intents.regenerate) {
    std::string error;
    const auto options = generation_options(&error);
    if (error.empty()) {
      session_.regenerate(*intents.regenerate, options);
    } else {
      refusal_ = error;
    }
  }
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
    std::string error;
    const auto options = generation_options(&error);
    validation::Verdict v;
    if (!error.empty()) {
      v.code = error_codes::bad_field;
      v.reason = error;
    } else {
      v = session_.send(message_draft_, now_ms_, editing_seq_, options);
    }
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

std::optional<protocol::GenerationOptions> AppModel::generation_options(std::string* error) const {
  protocol::GenerationOptions o;
  bool any = false;
  auto field = [&](const char* name) -> std::string {
    const auto it = option_drafts_.find(name);
    if (it == option_drafts_.end()) return {};
    const auto b = it->second.find_first_not_of(" \t");
    if (b == std::string::npos) return {};
    any = true;
    return it->second.substr(b, it->second.find_last_not_of(" \t") - b + 1);
  };
  auto fail = [&](std::string why) -> std::optional<protocol::GenerationOptions> {
    if (error != nullptr) *error = std::move(why);
    return std::nullopt;
  };
  auto whole = [](const std::string& s, std::uint64_t max) -> std::optional<std::uint32_t> {
    if (s.empty() || s.size() > 6 || s.find_first_not_of("0123456789") != std::string::npos)
      return std::nullopt;
    const auto n = std::stoull(s);
    if (n > max) return std::nullopt;
    return static_cast<std::uint32_t>(n);
  };
  o.model = field("model");
  o.system_prompt = field("system_prompt");
  if (const auto t = field("temperature"); !t.empty()) {
    char* end = nullptr;
    const double d = std::strtod(t.c_str(), &end);
    if (end != t.c_str() + t.size() || !(d >= 0.0 && d <= 2.0)) return fail("temperature: a number from 0 to 2");
    o.temperature = d;
  }
  if (const auto m = field("max_tokens"); !m.empty()) {
    const auto n = whole(m, 32768);
    if (!n || *n == 0) return fail("max tokens: a whole number from 1 to 32768");
    o.max_tokens = *n;
  }
  if (const auto h = field("history"); !h.empty()) {
    const auto n = whole(h, 200);
    if (!n) return fail("history: a whole number of messages from 0 to 200");
    o.history = *n;
  }
  if (!any) return std::nullopt;
  if (auto v = validation::check_options(o); !v) return fail(v.reason);
  return o;
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
