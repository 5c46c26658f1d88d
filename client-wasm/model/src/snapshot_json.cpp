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
  out += ",\"editing_seq\":" + std::to_string(model.editing_seq());
  out += std::string(",\"options_open\":") + (model.options_open() ? "true" : "false");
  out += ",\"options\":{";
  bool first_option = true;
  for (const auto& [name, value] : model.option_drafts()) {
    if (!first_option) out += ',';
    first_option = false;
    out += json_quote(name) + ":" + json_quote(value);
  }
  out += "}";
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
    out += ",\"ref\":" + std::to_string(e.ref);
    out += std::string(",\"hidden\":") + (e.hidden ? "true" : "false");
    out += ",\"version\":" + std::to_string(e.version);
    out += ",\"versions\":" + std::to_string(e.versions);
    out += ",\"steps\":[";
    for (std::size_t i = 0; i < e.steps.size(); ++i) {
      if (i > 0) out += ',';
      out += "{\"label\":" + json_quote(e.steps[i].label) + ",\"text\":" + json_quote(e.steps[i].text) + "}";
    }
    out += "],\"sources\":[";
    for (std::size_t i = 0; i < e.sources.size(); ++i) {
      if (i > 0) out += ',';
      out += "{\"document\":" + json_quote(e.sources[i].document) +
             ",\"location\":" + json_quote(e.sources[i].location) +
             ",\"passage\":" + json_quote(e.sources[i].passage) + "}";
    }
    out += "]";
    out += '}';
  }
  out += "],\"documents\":[";
  const auto& docs = s.documents().documents();
  for (std::size_t i = 0; i < docs.size(); ++i) {
    if (i > 0) out += ',';
    out += "{\"id\":" + std::to_string(docs[i].id) + ",\"name\":" + json_quote(docs[i].name) +
           ",\"state\":" + json_quote(docs[i].state) +
           ",\"progress\":" + std::to_string(docs[i].progress) +
           ",\"passages\":" + std::to_string(docs[i].passages) +
           ",\"error\":" + json_quote(docs[i].error) + "}";
  }
  out += "],\"component\":";
  if (const auto c = model.pending_component()) {
    out += "{\"seq\":" + std::to_string(c->seq) + ",\"type\":" + json_quote(c->type) +
           ",\"error\":" + json_quote(c->error) + ",\"fields\":{";
    for (std::size_t i = 0; i < c->fields.size(); ++i) {
      if (i > 0) out += ',';
      out += json_quote(c->fields[i].name) + ":" + json_quote(c->fields[i].value);
    }
    out += "}}";
  } else {
    out += "null";
  }
  out += ",\"uploads\":[";
  const auto ups = s.documents().uploads();
  for (std::size_t i = 0; i < ups.size(); ++i) {
    if (i > 0) out += ',';
    out += "{\"file_name\":" + json_quote(ups[i].file_name) +
           ",\"state\":" + json_quote(to_string(ups[i].state)) +
           ",\"percent\":" + std::to_string(ups[i].percent()) +
           ",\"error\":" + json_quote(ups[i].error) + "}";
  }
  out += "]}";
  return out;
}

}  // namespace parley::client
