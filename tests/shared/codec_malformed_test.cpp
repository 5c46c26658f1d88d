// Frames the codec must refuse, each with the exact error code a peer would receive.
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <nlohmann/json.hpp>
#include <ostream>
#include <string>
#include <vector>

#include "codec_samples.hpp"
#include "parley/codec.hpp"
#include "parley/error_codes.hpp"

namespace parley::protocol {
namespace {

using nlohmann::json;
namespace ec = error_codes;

struct Malformed {
  const char* name;
  std::string frame;
  const char* code;
};

std::ostream& operator<<(std::ostream& os, const Malformed& m) { return os << m.name; }

std::string repeated(const std::string& s, std::size_t n) {
  std::string out;
  out.reserve(s.size() * n);
  for (std::size_t i = 0; i < n; ++i) out += s;
  return out;
}

const std::string kChat =
    R"({"room":"r","seq":1,"author":"A","kind":"user","text":"t","status":"complete","ts_ms":0})";

std::vector<Malformed> malformed_frames() {
  const std::string deep = repeated("[", 100000) + repeated("]", 100000);
  const std::string deep_object = repeated(R"({"a":)", 50000) + "1" + repeated("}", 50000);
  return {
      // Not a JSON object.
      {"empty", "", ec::bad_json},
      {"not_json", "hello", ec::bad_json},
      {"truncated", R"({"v":1,"type":"ping")", ec::bad_json},
      {"trailing_garbage", R"({"v":1,"type":"ping","nonce":1} x)", ec::bad_json},
      {"two_objects", R"({"v":1,"type":"ping","nonce":1}{"v":1})", ec::bad_json},
      {"trailing_nul", std::string(R"({"v":1,"type":"ping","nonce":1})") + '\0', ec::bad_json},
      {"comment", R"({"v":1,/*c*/"type":"ping","nonce":1})", ec::bad_json},
      {"single_quotes", R"({'v':1,'type':'ping','nonce':1})", ec::bad_json},
      {"array", R"([{"v":1,"type":"ping","nonce":1}])", ec::bad_json},
      {"string", R"("ping")", ec::bad_json},
      {"number", "1", ec::bad_json},
      {"null", "null", ec::bad_json},
      {"lone_surrogate_escape",
       R"({"v":1,"type":"send","room":"r","client_id":"c","text":"\ud800"})", ec::bad_json},
      {"deeply_nested_arrays", deep, ec::bad_json},
      {"unclosed_nesting", repeated("[", 100000), ec::bad_json},
      {"deeply_nested_objects", deep_object, ec::bad_envelope},
      // Envelope.
      {"missing_v", R"({"type":"ping","nonce":1})", ec::bad_envelope},
      {"v_string", R"({"v":"1","type":"ping","nonce":1})", ec::bad_envelope},
      {"v_float", R"({"v":1.0,"type":"ping","nonce":1})", ec::bad_envelope},
      {"v_null", R"({"v":null,"type":"ping","nonce":1})", ec::bad_envelope},
      {"v_bool", R"({"v":true,"type":"ping","nonce":1})", ec::bad_envelope},
      {"v_2", R"({"v":2,"type":"ping","nonce":1})", ec::unsupported_version},
      {"v_0", R"({"v":0,"type":"ping","nonce":1})", ec::unsupported_version},
      {"v_negative", R"({"v":-1,"type":"ping","nonce":1})", ec::unsupported_version},
      {"v_huge", R"({"v":18446744073709551617,"type":"ping","nonce":1})", ec::bad_envelope},
      {"v_2_without_type", R"({"v":2})", ec::unsupported_version},
      {"missing_type", R"({"v":1,"nonce":1})", ec::bad_envelope},
      {"type_number", R"({"v":1,"type":3,"nonce":1})", ec::bad_envelope},
      {"type_null", R"({"v":1,"type":null,"nonce":1})", ec::bad_envelope},
      {"type_object", R"({"v":1,"type":{"name":"ping"},"nonce":1})", ec::bad_envelope},
      {"unknown_type", R"({"v":1,"type":"shout","text":"HI"})", ec::unknown_type},
      {"type_wrong_case", R"({"v":1,"type":"Ping","nonce":1})", ec::unknown_type},
      {"type_empty", R"({"v":1,"type":""})", ec::unknown_type},
      // Fields.
      {"negative_seq", R"({"v":1,"type":"ack","room":"r","client_id":"c","seq":-1})",
       ec::bad_field},
      {"float_seq", R"({"v":1,"type":"ack","room":"r","client_id":"c","seq":1.5})", ec::bad_field},
      {"integral_float_seq", R"({"v":1,"type":"ack","room":"r","client_id":"c","seq":2.0})",
       ec::bad_field},
      {"exponent_seq", R"({"v":1,"type":"ack","room":"r","client_id":"c","seq":1e3})",
       ec::bad_field},
      {"seq_over_u64",
       R"({"v":1,"type":"ack","room":"r","client_id":"c","seq":18446744073709551616})",
       ec::bad_field},
      {"string_seq", R"({"v":1,"type":"ack","room":"r","client_id":"c","seq":"1"})", ec::bad_field},
      {"history_limit_over_u32", R"({"v":1,"type":"join","room":"r","history_limit":4294967296})",
       ec::bad_field},
      {"negative_history_limit", R"({"v":1,"type":"join","room":"r","history_limit":-5})",
       ec::bad_field},
      {"ts_over_i64",
       R"({"v":1,"type":"stream_started","room":"r","gen_id":"g","seq":1,"reply_to":0,)"
       R"("author":"P","ts_ms":9223372036854775808})",
       ec::bad_field},
      {"duplicate_as_number",
       R"({"v":1,"type":"ack","room":"r","client_id":"c","seq":1,"duplicate":1})", ec::bad_field},
      {"null_optional", R"({"v":1,"type":"hello","name":"Ann","client":null})", ec::bad_field},
      {"bad_status",
       R"({"v":1,"type":"stream_completed","room":"r","gen_id":"g","seq":1,)"
       R"("text":"t","status":"done"})",
       ec::bad_field},
      {"status_wrong_case",
       R"({"v":1,"type":"stream_completed","room":"r","gen_id":"g","seq":1,)"
       R"("text":"t","status":"Complete"})",
       ec::bad_field},
      {"bad_kind",
       R"({"v":1,"type":"message","message":{"room":"r","seq":1,"author":"A",)"
       R"("kind":"robot","text":"t","status":"complete","ts_ms":0}})",
       ec::bad_field},
      {"kind_as_number",
       R"({"v":1,"type":"message","message":{"room":"r","seq":1,"author":"A",)"
       R"("kind":0,"text":"t","status":"complete","ts_ms":0}})",
       ec::bad_field},
      {"message_not_object", R"({"v":1,"type":"message","message":"hi"})", ec::bad_field},
      {"history_not_array",
       R"({"v":1,"type":"joined","room":"r","epoch":"e","head_seq":1,"history":{}})",
       ec::bad_field},
      {"history_entry_not_object",
       R"({"v":1,"type":"joined","room":"r","epoch":"e","head_seq":1,"history":[)" + kChat + ",5]}",
       ec::bad_field},
      {"history_entry_missing_field",
       R"({"v":1,"type":"joined","room":"r","epoch":"e","head_seq":1,"history":[{"room":"r"}]})",
       ec::bad_field},
      {"deeply_nested_field", R"({"v":1,"type":"ping","nonce":)" + deep + "}", ec::bad_field},
      // Bytes that are not UTF-8, anywhere in the frame.
      {"invalid_byte_in_string",
       "{\"v\":1,\"type\":\"send\",\"room\":\"r\",\"client_id\":\"c\",\"text\":\"\xff\"}",
       ec::bad_utf8},
      {"overlong_in_string",
       "{\"v\":1,\"type\":\"send\",\"room\":\"r\",\"client_id\":\"c\",\"text\":\"\xC0\xAF\"}",
       ec::bad_utf8},
      {"surrogate_bytes",
       "{\"v\":1,\"type\":\"send\",\"room\":\"r\",\"client_id\":\"c\",\"text\":\"\xED\xA0\x80\"}",
       ec::bad_utf8},
      {"truncated_sequence_at_end", "{\"v\":1,\"type\":\"ping\",\"nonce\":1}\xE2\x82",
       ec::bad_utf8},
      {"binary_garbage", "\x89PNG\r\n\x1a\n", ec::bad_utf8},
  };
}

class MalformedFrame : public testing::TestWithParam<Malformed> {};

TEST_P(MalformedFrame, IsRefusedWithItsCode) {
  const Malformed& m = GetParam();
  const DecodeResult r = decode(m.frame);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error.code, m.code) << r.error.message;
  EXPECT_FALSE(r.error.message.empty());
}

INSTANTIATE_TEST_SUITE_P(Table, MalformedFrame, testing::ValuesIn(malformed_frames()),
                         [](const testing::TestParamInfo<Malformed>& info) {
                           return std::string(info.param.name);
                         });

// ---- every field of every message, derived from the encoded samples --------------------

// Fields that may be left out, per wire type; every other field is required.
const std::vector<std::string>& optional_fields(const std::string& type) {
  static const std::map<std::string, std::vector<std::string>> table = {
      {"hello", {"client", "token"}},
      {"join", {"history_limit", "epoch", "after_seq"}},
      {"joined", {"resume", "more"}},
      {"fetch_history", {"limit"}},
      {"welcome", {"max_text_bytes"}},
      {"send", {"options", "edits"}},
      {"regenerate", {"options"}},
      {"component_submit", {"action", "values"}},
      {"stream_completed", {"data"}},
      {"state_change_request", {"reason"}},
      {"state_update", {"user", "reason"}},
      {"transcript_update", {"user", "interim", "final", "confidence"}},
      {"speech_event", {"user", "data"}},
      {"history_page", {"more"}},
      {"create_room", {"room_type", "assistant"}},
      {"invite", {"role"}},
      {"member", {"removed"}},
      {"room", {"read_seq", "unread"}},
      {"typing", {"user", "active"}},
      {"mark", {"delivered", "read"}},
      {"ack", {"duplicate"}},
      {"error", {"message", "ref", "retry_after_ms"}},
  };
  static const std::vector<std::string> none;
  auto it = table.find(type);
  return it == table.end() ? none : it->second;
}

bool is_optional(const std::string& type, const std::string& key) {
  const auto& fields = optional_fields(type);
  return std::find(fields.begin(), fields.end(), key) != fields.end();
}

// A value of a JSON type the field never has.
json wrong_type_for(const json& value) {
  if (value.is_string()) return 42;
  if (value.is_array()) return json::object();
  if (value.is_object()) return json::array();
  return "42";
}

class EveryField : public testing::TestWithParam<Message> {};

TEST_P(EveryField, MissingRequiredFieldIsBadFieldAndMissingOptionalIsDefault) {
  const json frame = json::parse(encode(GetParam()));
  const std::string type = frame["type"];
  for (const auto& [key, value] : frame.items()) {
    if (key == "v" || key == "type") continue;
    json without = frame;
    without.erase(key);
    const DecodeResult r = decode(without.dump());
    if (is_optional(type, key)) {
      EXPECT_TRUE(r.ok()) << type << " without " << key << ": " << r.error.message;
    } else {
      ASSERT_FALSE(r.ok()) << type << " without " << key;
      EXPECT_EQ(r.error.code, ec::bad_field);
      EXPECT_EQ(r.error.message, type + "." + key + ": missing required field");
      EXPECT_EQ(r.error.type, type);
    }
  }
}

TEST_P(EveryField, MistypedFieldIsBadFieldNamingItsPath) {
  const json frame = json::parse(encode(GetParam()));
  const std::string type = frame["type"];
  for (const auto& [key, value] : frame.items()) {
    if (key == "v" || key == "type") continue;
    json mistyped = frame;
    mistyped[key] = wrong_type_for(value);
    const DecodeResult r = decode(mistyped.dump());
    ASSERT_FALSE(r.ok()) << type << "." << key;
    EXPECT_EQ(r.error.code, ec::bad_field);
    const std::string path = type + "." + key + ": expected ";
    EXPECT_EQ(r.error.message.substr(0, path.size()), path) << r.error.message;
  }
}

INSTANTIATE_TEST_SUITE_P(EveryAlternative, EveryField, testing::ValuesIn(samples::all()),
                         [](const testing::TestParamInfo<Message>& info) {
                           return std::string(type_name(info.param)) + "_" +
                                  std::to_string(info.index);
                         });

// Each field of a ChatMessage nested in "message" and in the last "history" entry.
TEST(EveryChatMessageField, MistypedIsBadFieldNamingItsPath) {
  int checked = 0;
  for (const Message& m : samples::all()) {
    json frame = json::parse(encode(m));
    json* chat = nullptr;
    std::string path;
    if (frame["type"] == "message") {
      chat = &frame["message"];
      path = "message.message.";
    } else if (frame["type"] == "joined" && !frame["history"].empty()) {
      chat = &frame["history"].back();
      path = "joined.history[" + std::to_string(frame["history"].size() - 1) + "].";
    } else {
      continue;
    }
    const json original = *chat;
    for (const auto& [key, value] : original.items()) {
      *chat = original;
      (*chat)[key] = wrong_type_for(value);
      const DecodeResult r = decode(frame.dump());
      ASSERT_FALSE(r.ok()) << path << key;
      EXPECT_EQ(r.error.code, ec::bad_field);
      const std::string expected = path + key + ": expected ";
      EXPECT_EQ(r.error.message.substr(0, expected.size()), expected) << r.error.message;
      ++checked;
    }
  }
  EXPECT_GE(checked, 3 * 9);
}

}  // namespace
}  // namespace parley::protocol
