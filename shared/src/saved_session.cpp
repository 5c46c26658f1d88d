// Non-throwing like the codec: the wasm client is built without exceptions.
#include "parley/saved_session.hpp"

#include <nlohmann/json.hpp>

#include "parley/validation.hpp"

namespace parley::client {
namespace {

using Json = nlohmann::json;

constexpr int kSavedVersion = 1;

bool get(const Json& j, const char* key, std::string& out) {
  auto it = j.find(key);
  if (it == j.end()) return false;
  const auto* s = it->get_ptr<const Json::string_t*>();
  if (s == nullptr) return false;
  out = *s;
  return true;
}

bool get(const Json& j, const char* key, std::uint64_t& out) {
  auto it = j.find(key);
  if (it == j.end()) return false;
  if (const auto* u = it->get_ptr<const Json::number_unsigned_t*>()) {
    out = *u;
    return true;
  }
  if (const auto* i = it->get_ptr<const Json::number_integer_t*>(); i != nullptr && *i >= 0) {
    out = static_cast<std::uint64_t>(*i);
    return true;
  }
  return false;
}

bool get(const Json& j, const char* key, std::int64_t& out) {
  std::uint64_t u = 0;
  if (auto it = j.find(key); it != j.end()) {
    if (const auto* i = it->get_ptr<const Json::number_integer_t*>()) {
      out = *i;
      return true;
    }
  }
  if (!get(j, key, u)) return false;
  out = static_cast<std::int64_t>(u);
  return true;
}

const Json* array_at(const Json& j, const char* key) {
  auto it = j.find(key);
  if (it == j.end() || !it->is_array()) return nullptr;
  return &*it;
}

}  // namespace

std::string encode_saved(const SavedSession& s) {
  Json j = Json::object();
  j["v"] = kSavedVersion;
  j["user"] = s.user;
  j["room"] = s.room;
  if (!s.token.empty()) j["token"] = s.token;
  Json positions = Json::array();
  for (const SavedPosition& p : s.positions)
    positions.push_back({{"room", p.room}, {"epoch", p.epoch}, {"seq", p.seq}});
  j["positions"] = std::move(positions);
  Json outbox = Json::array();
  for (const SavedSend& o : s.outbox) {
    Json item = {{"room", o.room}, {"client_id", o.client_id}, {"text", o.text}, {"ts_ms", o.ts_ms}};
    if (o.edits != 0) item["edits"] = o.edits;
    outbox.push_back(std::move(item));
  }
  j["outbox"] = std::move(outbox);
  return j.dump(-1, ' ', false, Json::error_handler_t::replace);
}

std::optional<SavedSession> decode_saved(std::string_view json) {
  if (!validation::is_valid_utf8(json)) return std::nullopt;
  Json j = Json::parse(json.begin(), json.end(), nullptr, /*allow_exceptions=*/false);
  if (!j.is_object()) return std::nullopt;
  std::uint64_t version = 0;
  if (!get(j, "v", version) || version != kSavedVersion) return std::nullopt;
  SavedSession s;
  if (!get(j, "user", s.user) || !validation::check_name(s.user)) return std::nullopt;
  if (j.contains("room") && (!get(j, "room", s.room) ||
                             (!s.room.empty() && !validation::check_room(s.room)))) {
    return std::nullopt;
  }
  if (j.contains("token") && !get(j, "token", s.token)) return std::nullopt;
  const Json* positions = array_at(j, "positions");
  const Json* outbox = array_at(j, "outbox");
  if (positions == nullptr || outbox == nullptr) return std::nullopt;
  for (const Json& p : *positions) {
    SavedPosition pos;
    if (!p.is_object() || !get(p, "room", pos.room) || !get(p, "epoch", pos.epoch) ||
        !get(p, "seq", pos.seq) || !validation::check_room(pos.room)) {
      return std::nullopt;
    }
    s.positions.push_back(std::move(pos));
  }
  for (const Json& o : *outbox) {
    SavedSend send;
    if (!o.is_object() || !get(o, "room", send.room) || !get(o, "client_id", send.client_id) ||
        !get(o, "text", send.text) || !get(o, "ts_ms", send.ts_ms) ||
        !validation::check_room(send.room) || !validation::check_client_id(send.client_id) ||
        !validation::check_text(send.text) ||
        (o.contains("edits") && !get(o, "edits", send.edits))) {
      return std::nullopt;
    }
    s.outbox.push_back(std::move(send));
  }
  return s;
}

}  // namespace parley::client
