#include "rest_requests.hpp"

#include <charconv>
#include <nlohmann/json.hpp>

#include "parley/codec.hpp"
#include "parley/error_codes.hpp"
#include "parley/validation.hpp"

namespace parley::server {
namespace {

namespace codes = parley::error_codes;
using Json = nlohmann::json;

RestError bad(const char* code, std::string message) { return {400, code, std::move(message)}; }

std::optional<Json> object_of(std::string_view body) {
  Json j = Json::parse(body, nullptr, false);
  if (!j.is_object()) return std::nullopt;
  return j;
}

RestError not_an_object() { return bad(codes::bad_json, "the body must be a JSON object"); }

// Decodes `fields` as the WebSocket frame `type` (its envelope added here).
template <class T>
RestParse<T> decode_as(Json fields, const char* type) {
  fields["v"] = 1;
  fields["type"] = type;
  const auto decoded = protocol::decode(fields.dump());
  if (!decoded.ok()) {
    // The frame's paths start with its type ("create_room.room_type"); a body's do not.
    std::string message = decoded.error.message;
    const std::string prefix = std::string(type) + ".";
    if (message.starts_with(prefix)) message.erase(0, prefix.size());
    return bad(decoded.error.code == codes::bad_utf8 ? codes::bad_utf8 : codes::bad_field, message);
  }
  const auto* value = std::get_if<T>(&*decoded.value);
  if (value == nullptr) return bad(codes::bad_field, "the body is not a " + std::string(type));
  return *value;
}

// `key` of a JSON object: absent is "", anything but a string is refused.
std::optional<RestError> read_string(const Json& j, const char* key, std::string& out) {
  const auto it = j.find(key);
  if (it == j.end()) return std::nullopt;
  if (!it->is_string()) return bad(codes::bad_field, std::string(key) + ": expected string");
  out = it->get<std::string>();
  return std::nullopt;
}

}  // namespace

RestParse<Credentials> parse_credentials(std::string_view body) {
  const auto j = object_of(body);
  if (!j) return not_an_object();
  Credentials c;
  if (auto e = read_string(*j, "name", c.name)) return *e;
  if (auto e = read_string(*j, "password", c.password)) return *e;
  return c;
}

RestParse<protocol::CreateRoom> parse_create_room(std::string_view body) {
  auto j = object_of(body);
  if (!j) return not_an_object();
  // The REST defaults: a shared room the assistant always answers in.
  if (!j->contains("room_type")) (*j)["room_type"] = "shared";
  if (!j->contains("assistant")) (*j)["assistant"] = "always";
  return decode_as<protocol::CreateRoom>(std::move(*j), "create_room");
}

RestParse<protocol::Send> parse_send(std::string_view body, const std::string& room) {
  auto j = object_of(body);
  if (!j) return not_an_object();
  (*j)["room"] = room;  // the path names the room
  return decode_as<protocol::Send>(std::move(*j), "send");
}

RestParse<PageQuery> parse_page_query(std::string_view query) {
  PageQuery q;
  bool seen_limit = false;
  std::size_t pos = 0;
  while (pos < query.size()) {
    const auto amp = query.find('&', pos);
    const auto part = query.substr(pos, amp == std::string_view::npos ? query.size() - pos : amp - pos);
    pos = amp == std::string_view::npos ? query.size() : amp + 1;
    if (part.empty()) continue;
    const auto eq = part.find('=');
    const auto key = part.substr(0, eq);
    if (key != "limit" && key != "after" && key != "before") continue;  // not ours
    const auto value = eq == std::string_view::npos ? std::string_view() : part.substr(eq + 1);
    std::uint64_t v = 0;
    const auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), v);
    const std::string name(key);
    const bool number = !value.empty() && ec == std::errc{} && end == value.data() + value.size() &&
                        value.front() != '-' && value.front() != '+';
    if (key == "limit") {
      if (seen_limit) return bad(codes::bad_field, "limit: given twice");
      seen_limit = true;
      if (!number || v == 0 || v > validation::kMaxHistoryLimit) {
        return bad(codes::bad_field,
                   "limit: a whole number from 1 to " + std::to_string(validation::kMaxHistoryLimit));
      }
      q.limit = static_cast<std::uint32_t>(v);
      continue;
    }
    auto& slot = key == "after" ? q.after : q.before;
    if (slot) return bad(codes::bad_field, name + ": given twice");
    if (!number || v > static_cast<std::uint64_t>(INT64_MAX)) {
      return bad(codes::bad_field, name + ": a seq, a whole number from 0 to 2^63-1");
    }
    slot = v;
  }
  if (q.after && q.before) return bad(codes::bad_field, "after, before: give one of them, not both");
  return q;
}

}  // namespace parley::server
