#include "parley/validation.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "parley/error_codes.hpp"

namespace parley::validation {
namespace {

struct Case {
  const char* name;
  std::string input;
  bool valid;
};

std::ostream& operator<<(std::ostream& os, const Case& c) { return os << c.name; }

std::string bytes(std::size_t n, char c = 'a') { return std::string(n, c); }

std::string times(const std::string& s, std::size_t n) {
  std::string out;
  for (std::size_t i = 0; i < n; ++i) out += s;
  return out;
}

std::string case_name(const testing::TestParamInfo<Case>& info) { return info.param.name; }

// Checks a verdict against the expectation, including its code and reason.
void expect_verdict(const Verdict& v, const Case& c, const char* code) {
  if (c.valid) {
    EXPECT_TRUE(v) << v.reason;
    EXPECT_EQ(v.code, nullptr);
  } else {
    ASSERT_FALSE(v);
    EXPECT_STREQ(v.code, code);
    EXPECT_FALSE(v.reason.empty());
  }
}

// ---- UTF-8 --------------------------------------------------------------------------

class Utf8 : public testing::TestWithParam<Case> {};

TEST_P(Utf8, IsValidUtf8) { EXPECT_EQ(is_valid_utf8(GetParam().input), GetParam().valid); }

INSTANTIATE_TEST_SUITE_P(
    Table, Utf8,
    testing::Values(
        Case{"empty", "", true}, Case{"ascii", "hello", true},
        Case{"nul", std::string("a\0b", 3), true}, Case{"u0080", "\xC2\x80", true},
        Case{"u07ff", "\xDF\xBF", true}, Case{"u0800", "\xE0\xA0\x80", true},
        Case{"euro", "\xE2\x82\xAC", true}, Case{"ud7ff", "\xED\x9F\xBF", true},
        Case{"ue000", "\xEE\x80\x80", true}, Case{"uffff", "\xEF\xBF\xBF", true},
        Case{"u10000", "\xF0\x90\x80\x80", true}, Case{"clef", "\xF0\x9D\x84\x9E", true},
        Case{"u10ffff", "\xF4\x8F\xBF\xBF", true}, Case{"mixed", "Zoë 你好 🎉", true},
        Case{"lone_continuation", "\x80", false}, Case{"continuation_bf", "a\xBF", false},
        Case{"overlong_nul", "\xC0\x80", false}, Case{"overlong_c1", "\xC1\xBF", false},
        Case{"overlong_3_byte", "\xE0\x80\x80", false},
        Case{"overlong_3_byte_max", "\xE0\x9F\xBF", false},
        Case{"overlong_4_byte", "\xF0\x80\x80\x80", false},
        Case{"overlong_4_byte_max", "\xF0\x8F\xBF\xBF", false},
        Case{"surrogate_d800", "\xED\xA0\x80", false},
        Case{"surrogate_dfff", "\xED\xBF\xBF", false},
        Case{"surrogate_pair_cesu", "\xED\xA0\xBD\xED\xB8\x80", false},
        Case{"above_10ffff", "\xF4\x90\x80\x80", false}, Case{"f5", "\xF5\x80\x80\x80", false},
        Case{"fe", "\xFE", false}, Case{"ff", "\xFF", false}, Case{"truncated_2", "\xC3", false},
        Case{"truncated_3", "\xE2\x82", false}, Case{"truncated_4", "\xF0\x9D\x84", false},
        Case{"truncated_then_ascii", std::string("\xE2\x82") + "A", false},
        Case{"bad_second_byte", "\xE2\x28\xA1", false},
        Case{"bad_third_byte", "\xE2\x82\x28", false},
        Case{"bad_fourth_byte", "\xF0\x9D\x84\x28", false}),
    case_name);

// ---- names --------------------------------------------------------------------------

class Name : public testing::TestWithParam<Case> {};

TEST_P(Name, Check) {
  expect_verdict(check_name(GetParam().input), GetParam(), error_codes::invalid_name);
}

INSTANTIATE_TEST_SUITE_P(
    Table, Name,
    testing::Values(Case{"simple", "Ann", true}, Case{"one_byte", "A", true},
                    Case{"inner_space", "Ann Lee", true}, Case{"accents", "Zoë", true},
                    Case{"cjk", "李雷", true}, Case{"emoji", "🎉 party", true},
                    Case{"max_bytes", bytes(kMaxNameBytes), true},
                    Case{"max_bytes_multibyte", times("é", kMaxNameBytes / 2), true},
                    Case{"empty", "", false}, Case{"too_long", bytes(kMaxNameBytes + 1), false},
                    Case{"too_long_multibyte", times("é", kMaxNameBytes / 2) + "a", false},
                    Case{"leading_space", " Ann", false}, Case{"trailing_space", "Ann ", false},
                    Case{"only_spaces", "   ", false}, Case{"only_nbsp", "\xC2\xA0", false},
                    Case{"leading_ideographic_space",
                         "\xE3\x80\x80"
                         "Ann",
                         false},
                    Case{"tab", "Ann\tLee", false}, Case{"newline", "Ann\nLee", false},
                    Case{"nul", std::string("Ann\0", 4), false}, Case{"del", "Ann\x7F", false},
                    Case{"c1_control", "Ann\xC2\x85", false},
                    Case{"invalid_utf8", "Ann\xFF", false},
                    Case{"truncated_utf8", "Ann\xC3", false}),
    case_name);

// ---- rooms --------------------------------------------------------------------------

class Room : public testing::TestWithParam<Case> {};

TEST_P(Room, Check) {
  expect_verdict(check_room(GetParam().input), GetParam(), error_codes::invalid_room);
}

INSTANTIATE_TEST_SUITE_P(
    Table, Room,
    testing::Values(Case{"lobby", "lobby", true}, Case{"one_letter", "a", true},
                    Case{"digit_first", "0day", true}, Case{"mixed", "dev-ops_2", true},
                    Case{"max_bytes", bytes(kMaxRoomBytes), true}, Case{"empty", "", false},
                    Case{"too_long", bytes(kMaxRoomBytes + 1), false},
                    Case{"upper_case", "Lobby", false}, Case{"dash_first", "-lobby", false},
                    Case{"underscore_first", "_lobby", false}, Case{"space", "lob by", false},
                    Case{"punctuation", "lobby!", false}, Case{"slash", "a/b", false},
                    Case{"dot", "a.b", false}, Case{"non_ascii", "café", false},
                    Case{"nul", std::string("a\0", 2), false}),
    case_name);

// ---- message text -------------------------------------------------------------------

class Text : public testing::TestWithParam<Case> {};

TEST_P(Text, Check) {
  expect_verdict(check_text(GetParam().input), GetParam(), error_codes::invalid_text);
}

INSTANTIATE_TEST_SUITE_P(
    Table, Text,
    testing::Values(Case{"simple", "hi", true}, Case{"newline", "line 1\nline 2", true},
                    Case{"tab", "a\tb", true}, Case{"padded", "  padded  ", true},
                    Case{"cyrillic", "привет", true}, Case{"emoji", "🎉", true},
                    Case{"max_bytes", bytes(kMaxTextBytes), true},
                    Case{"max_bytes_multibyte", times("€", kMaxTextBytes / 3) + "ab", true},
                    Case{"empty", "", false}, Case{"too_long", bytes(kMaxTextBytes + 1), false},
                    Case{"only_spaces", "   ", false}, Case{"only_newlines_tabs", "\n\t\n", false},
                    Case{"only_unicode_spaces", "\xE2\x80\x83\xE3\x80\x80", false},
                    Case{"carriage_return", "a\r\nb", false}, Case{"bell", "a\x07", false},
                    Case{"nul", std::string("a\0b", 3), false}, Case{"del", "a\x7F", false},
                    Case{"c1_control",
                         "a\xC2\x9B"
                         "b",
                         false},
                    Case{"invalid_utf8", "a\xFF", false},
                    Case{"surrogate_bytes", "a\xED\xA0\x80", false}),
    case_name);

// ---- client ids ---------------------------------------------------------------------

class ClientId : public testing::TestWithParam<Case> {};

TEST_P(ClientId, Check) {
  expect_verdict(check_client_id(GetParam().input), GetParam(), error_codes::invalid_client_id);
}

INSTANTIATE_TEST_SUITE_P(Table, ClientId,
                         testing::Values(Case{"simple", "c-1", true}, Case{"one_byte", "a", true},
                                         Case{"all_classes", "ABC_def-019", true},
                                         Case{"max_bytes", bytes(kMaxClientIdBytes, 'Z'), true},
                                         Case{"empty", "", false},
                                         Case{"too_long", bytes(kMaxClientIdBytes + 1), false},
                                         Case{"space", "c 1", false}, Case{"dot", "c.1", false},
                                         Case{"slash", "c/1", false}, Case{"non_ascii", "é", false},
                                         Case{"nul", std::string("c\0", 2), false}),
                         case_name);

}  // namespace
namespace {

TEST(Options, BoundsOfEachOption) {
  using protocol::GenerationOptions;
  EXPECT_TRUE(static_cast<bool>(check_options(GenerationOptions{})));
  GenerationOptions ok{"m", 2.0, 32768, std::string(4000, 'x'), 200u};
  EXPECT_TRUE(static_cast<bool>(check_options(ok)));
  auto reason = [](GenerationOptions o) {
    const Verdict v = check_options(o);
    EXPECT_STREQ(v.code, error_codes::bad_field);
    return v.reason;
  };
  EXPECT_EQ(reason({"", 2.5, 0, "", std::nullopt}), "send.options.temperature: 0 to 2");
  EXPECT_EQ(reason({"", -0.1, 0, "", std::nullopt}), "send.options.temperature: 0 to 2");
  EXPECT_EQ(reason({"", std::nullopt, 32769, "", std::nullopt}), "send.options.max_tokens: 0 to 32768");
  EXPECT_EQ(reason({"", std::nullopt, 0, std::string(4001, 'x'), std::nullopt}),
            "send.options.system_prompt: at most 4000 bytes of UTF-8");
  EXPECT_EQ(reason({"", std::nullopt, 0, "", 201u}), "send.options.history: 0 to 200");
  EXPECT_EQ(reason({std::string(129, 'm'), std::nullopt, 0, "", std::nullopt}),
            "send.options.model: at most 128 bytes of UTF-8");
}

}  // namespace
}  // namespace parley::validation
