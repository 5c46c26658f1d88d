// REST bodies and queries are checked as strictly as WebSocket frames: every field of
// the wrong type is bad_field naming the field, nothing throws, absent fields default.
#include "rest_requests.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace parley::server {
namespace {

template <class T>
const RestError& refused(const RestParse<T>& r) {
  static const RestError none{0, "", "(accepted)"};
  const auto* e = std::get_if<RestError>(&r);
  return e != nullptr ? *e : none;
}

void expect_bad_field(const RestError& e, const std::string& path) {
  EXPECT_EQ(e.status, 400u) << e.message;
  EXPECT_EQ(e.code, "bad_field") << e.message;
  EXPECT_EQ(e.message.rfind(path + ":", 0), 0u) << "wanted " << path << ", got " << e.message;
}

TEST(RestRequests, CreateRoomDefaultsAndTypes) {
  const auto ok = parse_create_room(R"({"room":"team"})");
  ASSERT_TRUE(std::holds_alternative<protocol::CreateRoom>(ok));
  const auto& room = std::get<protocol::CreateRoom>(ok);
  EXPECT_EQ(room.room, "team");
  EXPECT_EQ(room.room_type, protocol::RoomType::shared);
  EXPECT_EQ(room.assistant, protocol::AssistantMode::always);
  const auto group = parse_create_room(R"({"room":"t","room_type":"group","assistant":"off","v":7})");
  ASSERT_TRUE(std::holds_alternative<protocol::CreateRoom>(group));
  EXPECT_EQ(std::get<protocol::CreateRoom>(group).room_type, protocol::RoomType::group);

  expect_bad_field(refused(parse_create_room(R"({"room":"x","room_type":42})")), "room_type");
  expect_bad_field(refused(parse_create_room(R"({"room":"x","assistant":["off"]})")), "assistant");
  expect_bad_field(refused(parse_create_room(R"({"room":"x","assistant":null})")), "assistant");
  expect_bad_field(refused(parse_create_room(R"({"room":1})")), "room");
  expect_bad_field(refused(parse_create_room(R"({})")), "room");
  for (const char* body : {"", "[]", "\"x\"", "{", "null", "{} {}", "\xff"}) {
    EXPECT_EQ(refused(parse_create_room(body)).code, "bad_json") << body;
  }
}

TEST(RestRequests, SendTakesTheRoomFromThePath) {
  const auto ok = parse_send(R"({"room":"elsewhere","client_id":"c-1","text":"hi","options":{"max_tokens":3}})",
                             "lobby");
  ASSERT_TRUE(std::holds_alternative<protocol::Send>(ok));
  const auto& send = std::get<protocol::Send>(ok);
  EXPECT_EQ(send.room, "lobby");
  EXPECT_EQ(send.client_id, "c-1");
  ASSERT_TRUE(send.options.has_value());
  EXPECT_EQ(send.options->max_tokens, 3u);
  expect_bad_field(refused(parse_send(R"({"client_id":5,"text":"hi"})", "lobby")), "client_id");
  expect_bad_field(refused(parse_send(R"({"client_id":"c","text":{}})", "lobby")), "text");
  expect_bad_field(refused(parse_send(R"({"client_id":"c","text":"t","options":{"temperature":"hot"}})", "lobby")),
                   "options.temperature");
  expect_bad_field(refused(parse_send(R"({"client_id":"c","text":"t","edits":-1})", "lobby")), "edits");
}

TEST(RestRequests, CredentialsAreStringsOrAbsent) {
  const auto ok = parse_credentials(R"({"name":"ann"})");
  ASSERT_TRUE(std::holds_alternative<Credentials>(ok));
  EXPECT_EQ(std::get<Credentials>(ok).name, "ann");
  EXPECT_EQ(std::get<Credentials>(ok).password, "");
  expect_bad_field(refused(parse_credentials(R"({"name":1})")), "name");
  expect_bad_field(refused(parse_credentials(R"({"name":"a","password":["p"]})")), "password");
  EXPECT_EQ(refused(parse_credentials("[1]")).code, "bad_json");
}

TEST(RestRequests, PageQueries) {
  auto page = [](std::string_view q) { return std::get<PageQuery>(parse_page_query(q)); };
  EXPECT_EQ(page("").limit, 50u);
  EXPECT_EQ(page("limit=200").limit, 200u);
  EXPECT_EQ(page("limit=1&after=0").after, 0u);
  EXPECT_EQ(page("before=9223372036854775807").before, 9223372036854775807ull);
  EXPECT_EQ(page("x=-1&&limit=7&y").limit, 7u);  // keys of no meaning here are skipped
  const std::vector<std::pair<std::string, std::string>> bad = {
      {"limit=-1", "limit"}, {"limit=abc", "limit"}, {"limit=100000000000000000000000", "limit"},
      {"limit=0", "limit"}, {"limit=201", "limit"}, {"limit=", "limit"}, {"limit", "limit"},
      {"limit=+5", "limit"}, {"limit= 5", "limit"}, {"limit=5x", "limit"}, {"limit=1&limit=2", "limit"},
      {"after=-1", "after"}, {"after=9223372036854775808", "after"}, {"after=1&after=2", "after"},
      {"before=0x10", "before"}, {"after=1&before=2", "after, before"}};
  for (const auto& [query, path] : bad) expect_bad_field(refused(parse_page_query(query)), path);
}

}  // namespace
}  // namespace parley::server
