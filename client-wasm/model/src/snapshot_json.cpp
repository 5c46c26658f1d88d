#include "parley/client_model/snapshot_json.hpp"

#include <cstdio>

namespace parley::client {

std::string json_quote(std::string_view s) {
  std::string out;
  out.reserve(s.size() + 2);
  out += '"';
  for (const char c : s) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\u%04x", static_cast<unsigned>(c));
          out += buf;
        } else {
          out += c;  // UTF-8 passes through unchanged
        }
    }
  }
  out += '"';
  return out;
}

std::string snapshot_json(const AppModel& model) {
  const Session& s = model.session();
  std::string out = "{\"connection\":";
  out += json_quote(to_string(s.connection()));
  out += ",\"signed_in\":";
  out += s.signed_in() ? "true" : "false";
  out += ",\"user\":" + json_quote(s.user());
  out += ",\"room\":" + json_quote(s.room());
  out += ",\"reconnect_in_ms\":" + std::to_string(s.reconnect_in_ms(model.now_ms()));
  out += ",\"epoch\":" + json_quote(s.epoch());
  out += ",\"position\":" + std::to_string(s.position());
  out += ",\"floor\":" + std::to_string(s.floor());
  out += ",\"conversation_state\":" + json_quote(s.conversation_state());
  out += ",\"has_older\":";
  out += s.has_older() ? "true" : "false";
  out += ",\"loading_older\":";
  out += s.loading_older() ? "true" : "false";
  out += ",\"typing\":" + json_quote(model.typing_line());
  out += ",\"online\":[";
  bool first_online = true;
  for (const auto& u : s.signals().online()) {
    if (!first_online) out += ',';
    first_online = false;
    out += json_quote(u);
  }
  out += "]";
  out += ",\"rooms\":[";
  bool first_room = true;
  for (const auto& r : s.rooms()) {
    if (!first_room) out += ',';
    first_room = false;
    out += "{\"room\":" + json_quote(r.room) + ",\"type\":" + json_quote(protocol::to_string(r.type)) +
           ",\"role\":" + json_quote(protocol::to_string(r.role)) +
           ",\"assistant\":" + json_quote(protocol::to_string(r.assistant)) +
           ",\"unread\":" + std::to_string(r.unread) + "}";
  }
  out += "],\"members\":[";
  bool first_member = true;
  for (const auto& m : s.members()) {
    if (!first_member) out += ',';
    first_member = false;
    out += json_quote(m.user);
  }
  out += "],\"member_roles\":{";
  first_member = true;
  for (const auto& m : s.members()) {
    if (!first_member) out += ',';
    first_member = false;
    out += json_quote(m.user) + ":" + json_quote(protocol::to_string(m.role));
  }
  out += "}";
  out += ",\"new_room_draft\":" + json_quote(model.new_room_draft());
  out += ",\"signing_in\":";
  out += model.signing_in() ? "true" : "false";
  out += ",\"has_dropped\":";
  out += s.has_dropped() ? "true" : "false";
  out += ",\"refusal\":" + json_quote(model.refusal());
  out += ",\"name_draft\":" + json_quote(model.name_draft());
  out += ",\"draft\":" + json_quote(model.message_draft());
  out += ",\"error\":";
  if (const auto& e = s.last_error()) {
    out += "{\"code\":" + json_quote(e->code) + ",\"message\":" + json_quote(e->message) +
           ",\"ref\":" + json_quote(e->ref) + "}";
  } else {
    out += "null";
  }
  out += ",\"entries\":[";
  bool first = true;
  std::size_t index = 0;
  for (const Entry& e : s.transcript().entries()) {
    const ViewEntry view = model.entry(index++);
    if (!first) out += ',';
    first = false;
    out += "{\"seq\":" + std::to_string(e.seq);
    out += ",\"author\":" + json_quote(e.author);
    out += ",\"kind\":" + json_quote(protocol::to_string(e.kind));
    out += ",\"text\":" + json_quote(e.text);
    out += ",\"status\":" + json_quote(protocol::to_string(e.status));
    out += ",\"delivery\":" + json_quote(to_string(e.delivery));
    out += ",\"client_id\":" + json_quote(e.client_id);
    out += ",\"failure\":" + json_quote(e.failure);
    out += ",\"badge\":" + json_quote(view.badge_text);
    out += ",\"gen_id\":" + json_quote(e.gen_id);
    out += ",\"steps\":[";
    for (std::size_t i = 0; i < e.steps.size(); ++i) {
      if (i > 0) out += ',';
      out += "{\"label\":" + json_quote(e.steps[i].label) + ",\"text\":" + json_quote(e.steps[i].text) + "}";
    }
    out += "]";
    out += '}';
  }
  out += "]}";
  return out;
}

}  // namespace parley::client
